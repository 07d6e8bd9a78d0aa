import { type PropType, defineComponent, h, onBeforeUnmount, ref, watchEffect } from 'vue';
import { type ClickData, type ClickOutcome, click, closePayment, configure } from 'spay-button';

type Status = 'idle' | 'open' | ClickOutcome['status'];

const STATUS_TEXT: Record<Status, string> = {
  idle: '未支付',
  open: '请在弹窗中完成支付…',
  paid: '已支付',
  redirected: '正在前往支付页面…',
  cancelled: '已取消支付',
  failed: '支付失败',
};

/**
 * A pay button for one signed order; shows how the last payment ended and emits `outcome` with it.
 * The webhook to your server, not the outcome, proves a payment.
 */
export const PayButton = defineComponent({
  name: 'PayButton',
  props: {
    /** The same data as `BC.click`: title, amount (fen), out_trade_no, sign, return_url, … */
    order: { type: Object as PropType<ClickData>, required: true },
    appId: { type: String, required: true },
    /** e.g. `https://pay.example.com` */
    gateway: { type: String, required: true },
    label: { type: String, default: '立即支付' },
  },
  emits: { outcome: (_outcome: ClickOutcome) => true },
  setup(props, { emit }) {
    const status = ref<Status>('idle');
    const error = ref('');
    let mounted = true;

    // Safe to run again: the same settings keep the loaded channels.
    watchEffect(() => configure({ appId: props.appId, gateway: props.gateway }));
    // A route change must not leave the payment modal over the next page.
    onBeforeUnmount(closePayment);
    onBeforeUnmount(() => {
      mounted = false;
    });

    async function pay(): Promise<void> {
      status.value = 'open';
      error.value = '';
      const outcome = await click(props.order);
      // Closing the modal on unmount settles the click as cancelled; nobody is left to tell.
      if (!mounted) return;
      status.value = outcome.status;
      error.value = outcome.error?.ERROR ?? '';
      emit('outcome', outcome);
    }

    return () =>
      h('div', { class: 'pay-button' }, [
        h('button', { type: 'button', onClick: () => void pay() }, props.label),
        h('p', { role: 'status' }, error.value ? `${STATUS_TEXT[status.value]}：${error.value}` : STATUS_TEXT[status.value]),
      ]);
  },
});
