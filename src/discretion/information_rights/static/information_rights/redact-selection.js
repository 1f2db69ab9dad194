// Redaction review: select words in an entry's text to withhold them. The form under the entry
// gets where the selection starts and ends in the entry's text (counted in characters of the text
// itself) and the text selected, which the server checks against the entry. Without this script
// the page offers the same through lists of sentences and words.
(function () {
  "use strict";

  function offsetWithin(container, node, offset) {
    var before = document.createRange();
    before.selectNodeContents(container);
    before.setEnd(node, offset);
    return before.toString().length;
  }

  function formFor(container) {
    return document.querySelector('[data-selection-form="' + container.getAttribute("data-redact-entry") + '"]');
  }

  function field(form, name) {
    return form.querySelector('[name="redact-selection-' + name + '"]');
  }

  function showSelection(container) {
    var form = formFor(container);
    if (!form) {
      return;
    }
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) {
      return;
    }
    var text = range.toString();
    if (!text.trim()) {
      return;
    }
    var start = offsetWithin(container, range.startContainer, range.startOffset);
    field(form, "start").value = String(start);
    field(form, "end").value = String(start + text.length);
    field(form, "passage").value = text;
    form.querySelector("[data-selected-text]").textContent = text.length > 200 ? text.slice(0, 200) + "…" : text;
    form.hidden = false;
  }

  var containers = document.querySelectorAll("[data-redact-entry]");
  Array.prototype.forEach.call(containers, function (container) {
    container.addEventListener("mouseup", function () { showSelection(container); });
    container.addEventListener("keyup", function () { showSelection(container); });
    container.addEventListener("touchend", function () { showSelection(container); });
  });
})();
