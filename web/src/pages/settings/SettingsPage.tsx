import { Typography } from 'antd';

export default function SettingsPage() {
  return <Typography.Title level={3}>SettingsPage</Typography.Title>;
}
