import { Typography } from 'antd';

export default function UsersPage() {
  return <Typography.Title level={3}>UsersPage</Typography.Title>;
}
