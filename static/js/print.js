// Print buttons: any element with data-print opens the browser's print dialogue (no inline handlers: the CSP).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
