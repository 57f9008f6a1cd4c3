import { useMutation } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types.js';
import { usersApi } from '../../api/users.js';
import { errorMessage } from '../../components/errors.js';
import { changesBody, editValues, type EditUserValues } from './userRules.js';

interface Props {
  open: boolean;
  user: User | null;
  onDone: () => void;
  onClose: () => void;
}

/** Changes another user's display name, email, password (empty keeps it) and status. */
export function EditUserModal({ open, user, onDone, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditUserValues>();
  const save = useMutation({
    mutationFn: ({ target, values }: { target: User; values: EditUserValues }) =>
      usersApi.update(target.id, changesBody(target, values)),
    onSuccess: onDone,
  });
  const { reset } = save;
  useEffect(() => {
    if (open && user) {
      form.setFieldsValue(editValues(user));
      reset();
    }
  }, [open, user, form, reset]);
  return (
    <Modal
      open={open}
      title={t('users.edit.title', { name: user?.username })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.actions.save')}
      cancelText={t('common.actions.cancel')}
      okButtonProps={{ loading: save.isPending }}
      forceRender
    >
      {save.isError && <Alert type="error" showIcon title={errorMessage(save.error, t)} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        autoComplete="off"
        onFinish={(values) => {
          if (user) save.mutate({ target: user, values });
        }}
      >
        <Form.Item
          name="display_name"
          label={t('users.fields.displayName')}
          rules={[{ max: 64, message: t('users.rules.max64') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('users.fields.email')}
          rules={[{ type: 'email', message: t('users.rules.email') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.fields.newPassword')}
          extra={t('users.edit.passwordHint')}
          rules={[
            { min: 8, message: t('users.rules.passwordMin') },
            { max: 128, message: t('users.rules.passwordMax') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="enabled"
          label={t('users.fields.status')}
          valuePropName="checked"
          extra={t('users.edit.statusHint')}
        >
          <Switch checkedChildren={t('common.status.enabled')} unCheckedChildren={t('common.status.disabled')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
