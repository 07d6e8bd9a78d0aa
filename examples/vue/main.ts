import { type PropType, createApp, defineComponent, h, ref } from 'vue';
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
function returnNotice() {
  const result = new URLSearchParams(location.search);
  if (!result.has('trade_success')) return null;
  const paid = result.get('trade_success') === 'true';
  return h('p', paid ? `订单 ${result.get('out_trade_no')} 已从支付页面返回：支付成功` : '支付未完成');
}

const App = defineComponent({
  name: 'App',
  props: { checkout: { type: Object as PropType<Checkout>, required: true } },
  setup(props) {
    const onCheckout = ref(true);
    // return_url is not part of the sign, so the page may choose it: come back here.
    const order: ClickData = { ...props.checkout.order, return_url: location.origin + location.pathname };

    return () =>
      onCheckout.value
        ? h('section', [
            h('h1', '结算'),
            returnNotice(),
            h('p', `${order.title} · ${formatYuan(order.amount)}`),
            h(PayButton, { order, appId: props.checkout.appId, gateway: props.checkout.gateway }),
            // Stands in for a router link: leaving unmounts PayButton.
            h('button', { type: 'button', onClick: () => (onCheckout.value = false) }, '离开页面'),
          ])
        : h('section', [h('h1', '其他页面'), h('button', { type: 'button', onClick: () => (onCheckout.value = true) }, '返回结算页')]);
  },
});

loadCheckout().then(
  (checkout) => createApp(App, { checkout }).mount('#app'),
  (error: Error) => createApp({ render: () => h('p', { role: 'alert' }, `无法加载订单：${error.message}`) }).mount('#app'),
);
