/** The script served in place of the widget when dist/spay-button.js is missing: BC exists, and every click reports why. */
export const PLACEHOLDER_SCRIPT = `(function () {
  var BC = {
    click: function (data, event) {
      setTimeout(function () {
        var error = { ERROR: 'the widget is not built; run npm run build', code: 'GATEWAY' };
        if (event && typeof event.dataError === 'function') event.dataError(error);
        if (typeof BC.err === 'function') BC.err(error);
      }, 0);
    },
    err: function (e) { console.log(e); }
  };
  window.BC = BC;
  document.dispatchEvent(new Event('beecloud:onready'));
})();`;
