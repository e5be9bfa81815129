// The notice's print button (no inline script: the pages' CSP allows none).
document.addEventListener("DOMContentLoaded", function () {
  var b = document.getElementById("print");
  if (b) { b.addEventListener("click", function () { window.print(); }); }
});
