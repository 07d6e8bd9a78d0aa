import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ClickData } from 'spay-button';
import { PayButton } from './PayButton';

/** What the merchant server's GET /order.json answers: the public app id, the gateway, and a signed order. */
interface Checkout {
  appId: string;
  gateway: string;
  order: ClickData;
}

async function loadCheckout(): Promise<Checkout> {
  const response = await fetch('/order.json', { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET /order.json answered ${response.status}`);
  return (await response.json()) as Checkout;
}

function formatYuan(fen: number | string): string {
  return `¥${(Number(fen) / 100).toFixed(2)}`;
}

/** Shown when the payment page sends the buyer back; your server's webhook is what marks the order paid. */
function ReturnNotice() {
  const result = new URLSearchParams(location.search);
  if (!result.has('trade_success')) return null;
  const paid = result.get('trade_success') === 'true';
  return <p>{paid ? `订单 ${result.get('out_trade_no')} 已从支付页面返回：支付成功` : '支付未完成'}</p>;
}

function App({ checkout }: { checkout: Checkout }) {
  const [onCheckout, setOnCheckout] = useState(true);
  // return_url is not part of the sign, so the page may choose it: come back here.
  const order: ClickData = { ...checkout.order, return_url: location.origin + location.pathname };

  if (!onCheckout) {
    return (
      <section>
        <h1>其他页面</h1>
        <button type="button" onClick={() => setOnCheckout(true)}>
          返回结算页
        </button>
      </section>
    );
  }
  return (
    <section>
      <h1>结算</h1>
      <ReturnNotice />
      <p>
        {order.title} · {formatYuan(order.amount)}
      </p>
      <PayButton order={order} appId={checkout.appId} gateway={checkout.gateway} />
      {/* Stands in for a router link: leaving unmounts PayButton. */}
      <button type="button" onClick={() => setOnCheckout(false)}>
        离开页面
      </button>
    </section>
  );
}

const root = createRoot(document.getElementById('app') as HTMLElement);
loadCheckout().then(
  (checkout) =>
    root.render(
      <StrictMode>
        <App checkout={checkout} />
      </StrictMode>,
    ),
  (error: Error) => root.render(<p role="alert">无法加载订单：{error.message}</p>),
);
