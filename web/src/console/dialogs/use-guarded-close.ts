import { App } from 'antd';

/** Closing a dialog with unsaved input asks first; a clean one closes at once. */
export function useGuardedClose(dirty: boolean, close: () => void): () => void {
  const { modal } = App.useApp();
  return () => {
    if (!dirty) return close();
    modal.confirm({
      title: 'Discard your changes?',
      content: 'What you entered in this dialog will be lost.',
      okText: 'Discard',
      cancelText: 'Keep editing',
      onOk: close,
    });
  };
}
