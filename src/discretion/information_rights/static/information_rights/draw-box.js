// Draw a redaction box by dragging across a page image (the form below it works without this).
(function () {
  "use strict";
  var canvas = document.getElementById("page-canvas");
  var band = document.getElementById("drawing");
  var form = document.getElementById("draw-form");
  if (!canvas || !band || !form) return;
  var start = null;
  function at(e) {
    var r = canvas.getBoundingClientRect();
    return {
      x: Math.min(Math.max((e.clientX - r.left) / r.width, 0), 1),
      y: Math.min(Math.max((e.clientY - r.top) / r.height, 0), 1),
    };
  }
  function place(a, b) {
    band.setAttribute("visibility", "visible");
    band.setAttribute("x", Math.min(a.x, b.x) * 100);
    band.setAttribute("y", Math.min(a.y, b.y) * 100);
    band.setAttribute("width", Math.abs(a.x - b.x) * 100);
    band.setAttribute("height", Math.abs(a.y - b.y) * 100);
  }
  canvas.addEventListener("mousedown", function (e) { start = at(e); e.preventDefault(); });
  canvas.addEventListener("mousemove", function (e) { if (start) place(start, at(e)); });
  canvas.addEventListener("mouseup", function (e) {
    if (!start) return;
    var end = at(e), a = start;
    start = null;
    if (Math.abs(a.x - end.x) < 0.003 || Math.abs(a.y - end.y) < 0.003) {
      band.setAttribute("visibility", "hidden");
      return;
    }
    form.left.value = (Math.min(a.x, end.x) * 100).toFixed(3);
    form.top.value = (Math.min(a.y, end.y) * 100).toFixed(3);
    form.right.value = (Math.max(a.x, end.x) * 100).toFixed(3);
    form.bottom.value = (Math.max(a.y, end.y) * 100).toFixed(3);
    form.submit();
  });
})();
