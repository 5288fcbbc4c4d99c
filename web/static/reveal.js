/* Show a block only while its checkbox is ticked ("and back" -> return time). Without this
   file every block stays visible and the server ignores the ones whose box is not ticked. */
(function () {
  "use strict";
  document.querySelectorAll("[data-reveal]").forEach(function (block) {
    var box = document.getElementById(block.getAttribute("data-reveal"));
    if (!box) { return; }
    function sync() { block.hidden = !box.checked; }
    box.addEventListener("change", sync);
    sync();
  });
})();
