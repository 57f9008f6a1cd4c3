import { Typography } from 'antd';

export default function ProvidersPage() {
  return <Typography.Title level={3}>ProvidersPage</Typography.Title>;
}
