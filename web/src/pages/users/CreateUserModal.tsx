import { useMutation } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { Role } from '../../api/types.js';
import { usersApi } from '../../api/users.js';
import { errorMessage } from '../../components/errors.js';
import { createBody, grantableRoles, roleKey, type CreateUserValues } from './userRules.js';

interface Props {
  open: boolean;
  callerRole: number;
  onDone: () => void;
  onClose: () => void;
}

export const USERNAME_PATTERN = /^[\w.@-]+$/;

/** A new account: username, password (≥ 8), display name, email and a role below the caller's. */
export function CreateUserModal({ open, callerRole, onDone, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateUserValues>();
  const roles = grantableRoles(callerRole);
  const create = useMutation({
    mutationFn: (values: CreateUserValues) => usersApi.create(createBody(values)),
    onSuccess: () => {
      form.resetFields();
      onDone();
    },
  });
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('users.create.title')}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('common.actions.create')}
      cancelText={t('common.actions.cancel')}
      okButtonProps={{ loading: create.isPending }}
      forceRender
    >
      {create.isError && (
        <Alert type="error" showIcon title={errorMessage(create.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ role: Role.user }}
        onFinish={(values) => create.mutate(values)}
        autoComplete="off"
      >
        <Form.Item
          name="username"
          label={t('users.fields.username')}
          rules={[
            { required: true, whitespace: true, message: t('users.rules.usernameRequired') },
            { max: 64, message: t('users.rules.max64') },
            { pattern: USERNAME_PATTERN, message: t('users.rules.usernameChars') },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.fields.password')}
          rules={[
            { required: true, message: t('users.rules.passwordRequired') },
            { min: 8, message: t('users.rules.passwordMin') },
            { max: 128, message: t('users.rules.passwordMax') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="display_name"
          label={t('users.fields.displayName')}
          extra={t('users.create.displayNameHint')}
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
        <Form.Item name="role" label={t('users.fields.role')} extra={t('users.create.roleHint')}>
          <Select options={roles.map((role) => ({ value: role, label: t(`users.roles.${roleKey(role)}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
