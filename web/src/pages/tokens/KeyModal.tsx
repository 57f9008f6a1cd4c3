import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AggToken } from '../../api/tokens.js';
import { CopyField } from './CopyField.js';
import { buildCurlExample } from './tokenForm.js';

export interface ShownKey {
  key: string;
  token: AggToken;
  /** Just created: the key is shown unasked this once. */
  created: boolean;
}

interface Props {
  shown: ShownKey | null;
  onClose: () => void;
}

/** The full `ag-` key with a copy button and a ready `curl` example against this gateway. */
export function KeyModal({ shown, onClose }: Props) {
  const { t } = useTranslation();
  const prefix = shown?.created ? 'token-created' : 'token-revealed';
  return (
    <Modal
      open={shown !== null}
      title={shown?.created ? t('tokens.key.createdTitle') : t('tokens.key.revealTitle', { name: shown?.token.name })}
      onCancel={onClose}
      width={720}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid={`${prefix}-close`}>
          {shown?.created ? t('tokens.key.savedIt') : t('tokens.key.close')}
        </Button>
      }
    >
      {shown && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Alert
            type={shown.created ? 'warning' : 'info'}
            showIcon
            title={shown.created ? t('tokens.key.createdWarning') : t('tokens.key.revealWarning')}
          />
          <div>
            <Typography.Text strong>{t('tokens.key.keyLabel')}</Typography.Text>
            <CopyField text={shown.key} testId={`${prefix}-key`} />
          </div>
          <div>
            <Typography.Text strong>{t('tokens.key.curlLabel')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
              {t('tokens.key.curlHint')}
            </Typography.Paragraph>
            <CopyField text={buildCurlExample(window.location.origin, shown.key, shown.token)} />
          </div>
        </Space>
      )}
    </Modal>
  );
}
