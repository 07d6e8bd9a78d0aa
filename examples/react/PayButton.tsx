import { type ReactNode, useEffect, useRef, useState } from 'react';
import { type ClickData, type ClickOutcome, click, closePayment, configure } from 'spay-button';

/** Props of PayButton: an order your server signed, your public app id, and your gateway's origin. */
export interface PayButtonProps {
  /** The same data as `BC.click`: title, amount (fen), out_trade_no, sign, return_url, … */
  order: ClickData;
  appId: string;
  /** e.g. `https://pay.example.com` */
  gateway: string;
  children?: ReactNode;
  /** Told how each payment ended. The webhook to your server, not this, proves a payment. */
  onOutcome?: (outcome: ClickOutcome) => void;
}

type Status = 'idle' | 'open' | ClickOutcome['status'];

const STATUS_TEXT: Record<Status, string> = {
  idle: '未支付',
  open: '请在弹窗中完成支付…',
  paid: '已支付',
  redirected: '正在前往支付页面…',
  cancelled: '已取消支付',
  failed: '支付失败',
};

/** A pay button for one signed order; shows how the last payment ended. */
export function PayButton({ order, appId, gateway, children = '立即支付', onOutcome }: PayButtonProps) {
  const [status, setStatus] = useState<Status>('idle');
  const [error, setError] = useState('');
  const mounted = useRef(false);

  useEffect(() => {
    mounted.current = true;
    // Safe on every mount: the same settings again keep the loaded channels.
    configure({ appId, gateway });
    return () => {
      mounted.current = false;
      // A route change must not leave the payment modal over the next page.
      closePayment();
    };
  }, [appId, gateway]);

  async function pay(): Promise<void> {
    setStatus('open');
    setError('');
    const outcome = await click(order);
    // Closing the modal on unmount settles the click as cancelled; nobody is left to tell.
    if (!mounted.current) return;
    setStatus(outcome.status);
    setError(outcome.error?.ERROR ?? '');
    onOutcome?.(outcome);
  }

  return (
    <div className="pay-button">
      <button type="button" onClick={() => void pay()}>
        {children}
      </button>
      <p role="status">{error ? `${STATUS_TEXT[status]}：${error}` : STATUS_TEXT[status]}</p>
    </div>
  );
}
