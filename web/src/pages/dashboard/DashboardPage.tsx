import { Typography } from 'antd';

export default function DashboardPage() {
  return <Typography.Title level={3}>DashboardPage</Typography.Title>;
}
