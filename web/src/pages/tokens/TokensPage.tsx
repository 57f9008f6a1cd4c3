import { Typography } from 'antd';

export default function TokensPage() {
  return <Typography.Title level={3}>TokensPage</Typography.Title>;
}
