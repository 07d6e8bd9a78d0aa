/**
 * The bench page's own functions, as plain browser JavaScript (page.evaluate of TypeScript functions would
 * carry the compiler's injected calls into the page). They define `window.__bench` before the widget loads.
 */
export const PAGE_SCRIPT = String.raw`
window.__bench = { ready: null };
document.addEventListener('beecloud:onready', function () { window.__bench.ready = performance.now(); });
(function (b) {
  function modalRoot() {
    var host = document.querySelector('spay-modal');
    return host ? host.shadowRoot : null;
  }
  function dialog() {
    var root = modalRoot();
    return root ? root.querySelector('[role=dialog]') : null;
  }
  // A message task runs after the current one, without the 4 ms clamp that nested timers get.
  function nextTask() {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { channel.port1.close(); resolve(); };
      channel.port2.postMessage(null);
    });
  }
  function nextTimer() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }
  async function waitFor(test, limit) {
    for (var i = 0; i < limit; i++) {
      var value = test();
      if (value) return value;
      await nextTask();
    }
    return test();
  }
  // The gateway serves a placeholder BC (no version) while dist/spay-button.js is missing, e.g. during a rebuild.
  function whyNoWidget() {
    return window.BC && window.BC.version ? '' : ' (BC has no version: the gateway served its placeholder, so dist/spay-button.js was missing; was a build running?)';
  }
  b.modalRoot = modalRoot;
  b.dialog = dialog;

  /** Presses Escape where the focus is in the modal (or on the dialog); true when the modal is gone. */
  b.closeModal = function () {
    var root = modalRoot();
    if (!root) return true;
    var target = root.activeElement || dialog();
    if (!target) return false;
    target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true, composed: true, cancelable: true }));
    return !document.querySelector('spay-modal');
  };

  /**
   * Calls BC.click inside a frame's rAF callback, so that the frame's style, layout and paint follow at
   * once; a message posted from there runs after that paint. Returns ms to the dialog in the DOM and to painted.
   */
  b.clickToPaint = function (order) {
    return new Promise(function (resolve, reject) {
      requestAnimationFrame(function () {
        var start = performance.now();
        BC.click(order);
        var inDom = performance.now();
        if (!dialog()) { reject(new Error('BC.click opened no dialog in the same task' + whyNoWidget())); return; }
        var channel = new MessageChannel();
        channel.port1.onmessage = function () {
          channel.port1.close();
          resolve({ dom: inDom - start, paint: performance.now() - start });
        };
        channel.port2.postMessage(null);
      });
    });
  };

  /** Clicks an instant QR order; returns ms from the bill answer's responseEnd to the modal host and to the code in it (SVG, or a phone's PNG), and from the click. */
  b.qrDraw = function (order) {
    return new Promise(function (resolve, reject) {
      var billEnd = null, qrModuleEnd = null, modalAt = null, codeAt = null, start = 0, settled = false;
      var timer = setTimeout(function () { finish(new Error('no QR code within 10 s (bill answered: ' + (billEnd !== null) + ')')); }, 10000);
      var entries = new PerformanceObserver(function (list) {
        list.getEntries().forEach(function (entry) {
          if (/\/bill$/.test(entry.name) && billEnd === null) billEnd = entry.responseEnd;
          if (/spay-qr\.[0-9a-f]+\.js$/.test(entry.name) && qrModuleEnd === null) qrModuleEnd = entry.responseEnd;
        });
        finish();
      });
      var inShadow = new MutationObserver(check);
      var inBody = new MutationObserver(function () {
        var root = modalRoot();
        if (!root) return;
        modalAt = performance.now();
        inBody.disconnect();
        inShadow.observe(root, { childList: true, subtree: true });
        check();
      });
      function check() {
        var root = modalRoot();
        if (codeAt === null && root && root.querySelector('svg[role=img], img.qr-code')) {
          codeAt = performance.now();
          inShadow.disconnect();
          finish();
        }
      }
      function finish(error) {
        if (settled) return;
        if (error) {
          settled = true; clearTimeout(timer); entries.disconnect(); inBody.disconnect(); inShadow.disconnect();
          reject(error);
          return;
        }
        if (billEnd === null || codeAt === null) return;
        settled = true; clearTimeout(timer); entries.disconnect();
        resolve({ afterBill: codeAt - billEnd, modalAfterBill: modalAt - billEnd, fromClick: codeAt - start, moduleAfterBill: qrModuleEnd === null ? null : qrModuleEnd - billEnd });
      }
      entries.observe({ type: 'resource' });
      inBody.observe(document.body, { childList: true });
      start = performance.now();
      BC.click(order);
    });
  };

  /**
   * Opens (BC.click, picker) and closes (Escape) the modal 'cycles' times, letting the widget's effects
   * run after each open. Returns the loop's ms and how many opens saw no focus move into the dialog.
   */
  b.openClose = async function (order, cycles) {
    var unfocused = 0;
    var start = performance.now();
    for (var i = 0; i < cycles; i++) {
      BC.click(order);
      if (!dialog()) throw new Error('cycle ' + i + ': BC.click opened no dialog' + whyNoWidget());
      var focused = await waitFor(function () { var root = modalRoot(); return root && root.activeElement; }, 20);
      if (!focused) unfocused++;
      if (!b.closeModal()) throw new Error('cycle ' + i + ': Escape did not close the modal');
      await nextTask();
      await nextTimer();
    }
    // Let any effect still queued by the last cycle run before the heap is read.
    await nextTimer();
    await nextTask();
    return { ms: performance.now() - start, unfocused: unfocused };
  };
})(window.__bench);
`;

/**
 * Makes requestAnimationFrame a message task, for the heap page only: headless Chromium runs frames at
 * 60 Hz, which would make 1,000 open/close cycles (each waiting for Preact's after-paint effects) take 30 s.
 */
export const FAST_FRAMES = String.raw`
window.requestAnimationFrame = function (callback) {
  var channel = new MessageChannel();
  channel.port1.onmessage = function () { channel.port1.close(); callback(performance.now()); };
  channel.port2.postMessage(null);
  return 1;
};
window.cancelAnimationFrame = function () {};
`;

/**
 * For the click-at-load page: calls BC.click at DOMContentLoaded, as a page that opens the payment at once does, and
 * records when (performance.now) the click was made, the dialog was in the DOM and the frame showing it had painted.
 * With the loader the click waits for the UI module; with the single file it opens the dialog at once.
 */
export const AT_LOAD_SCRIPT = String.raw`
window.__atLoad = { clickAt: null, dialogAt: null, paintedAt: null, error: null };
document.addEventListener('DOMContentLoaded', function () {
  var at = window.__atLoad;
  function dialog() {
    var host = document.querySelector('spay-modal');
    return host && host.shadowRoot ? host.shadowRoot.querySelector('[role=dialog]') : null;
  }
  function seen() {
    if (at.dialogAt !== null || !dialog()) return;
    at.dialogAt = performance.now();
    observer.disconnect();
    requestAnimationFrame(function () {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { channel.port1.close(); at.paintedAt = performance.now(); };
      channel.port2.postMessage(null);
    });
  }
  var observer = new MutationObserver(seen);
  observer.observe(document.body, { childList: true });
  BC.err = function (error) { at.error = error.code + ': ' + error.ERROR; };
  at.clickAt = performance.now();
  BC.click(window.__benchOrder);
  seen();
});
`;
