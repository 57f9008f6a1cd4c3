import { Typography } from 'antd';

export default function ProviderDetailPage() {
  return <Typography.Title level={3}>ProviderDetailPage</Typography.Title>;
}
