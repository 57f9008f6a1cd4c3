import { Col, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext.js';
import { AccessTokenCard } from './AccessTokenCard.js';
import { PasswordCard } from './PasswordCard.js';
import { ProfileCard } from './ProfileCard.js';
import { SystemOptions } from './SystemOptions.js';

/** The caller's own account, and for root the system options. */
export default function SettingsPage() {
  const { t } = useTranslation();
  const { isRoot } = useAuth();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('settings.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('settings.personal')}</Typography.Text>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12} xxl={8}>
          <ProfileCard />
        </Col>
        <Col xs={24} lg={12} xxl={8}>
          <PasswordCard />
        </Col>
        <Col xs={24} lg={12} xxl={8}>
          <AccessTokenCard />
        </Col>
      </Row>
      {isRoot && <SystemOptions />}
    </Space>
  );
}
