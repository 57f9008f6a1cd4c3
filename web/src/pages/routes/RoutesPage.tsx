import { Typography } from 'antd';

export default function RoutesPage() {
  return <Typography.Title level={3}>RoutesPage</Typography.Title>;
}
