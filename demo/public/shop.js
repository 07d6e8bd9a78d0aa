// The merchant's page script, written the way the original manual shows: wait for
// beecloud:onready if the button script has not arrived yet, then call BC.click.
(function () {
  var order = JSON.parse(document.getElementById('spay-order').textContent);
  var errorBox = document.getElementById('pay-error');

  function showError(err) {
    errorBox.hidden = false;
    errorBox.textContent = err && err.ERROR ? err.ERROR : String(err);
  }

  function pay() {
    errorBox.hidden = true;
    BC.click(order, { dataError: showError });
  }

  function asyncPay() {
    if (typeof BC == 'undefined') {
      document.addEventListener('beecloud:onready', pay, { once: true });
    } else {
      pay();
    }
  }

  document.getElementById('buy').addEventListener('click', asyncPay);
})();
