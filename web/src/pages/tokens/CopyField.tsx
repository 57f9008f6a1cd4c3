import { CopyOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { copyText } from './copy.js';

interface Props {
  text: string;
  /** The data-testid of the element holding the text. */
  testId?: string;
}

/** A secret or a command in a box, with a copy button; without a clipboard the text is selected. */
export function CopyField({ text, testId }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const ref = useRef<HTMLPreElement>(null);
  const copy = async () => {
    const outcome = await copyText(text, ref.current);
    if (outcome === 'copied') void message.success(t('common.actions.copied'));
    else void message.info(t('tokens.copy.selected'));
  };
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
      <pre
        ref={ref}
        data-testid={testId}
        style={{
          flex: 1,
          margin: 0,
          padding: '8px 12px',
          background: 'rgba(0, 0, 0, 0.04)',
          border: '1px solid rgba(5, 5, 5, 0.06)',
          borderRadius: 6,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
          fontSize: 13,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
          overflowX: 'auto',
          userSelect: 'all',
        }}
      >
        {text}
      </pre>
      <Button icon={<CopyOutlined />} onClick={() => void copy()}>
        {t('common.actions.copy')}
      </Button>
    </div>
  );
}
