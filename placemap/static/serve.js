// placemap serve: file drop onto the form, the list of chosen files, a note while it works.
// Names are shown with textContent only: nothing from a file reaches the page as markup.
(function () {
  "use strict";
  var form = document.querySelector(".pm-form");
  if (!form) { return; }
  var zone = form.querySelector("[data-pm-drop]");
  var input = form.querySelector("input[type=file]");
  var list = form.querySelector(".pm-file-list");

  function show() {
    list.replaceChildren();
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " kB)";
      list.appendChild(item);
    });
  }

  function add(files) {
    var all = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (file) { all.items.add(file); });
    Array.prototype.forEach.call(files, function (file) { all.items.add(file); });
    input.files = all.files;
    show();
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("pm-over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("pm-over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) { add(event.dataTransfer.files); }
  });
  input.addEventListener("change", show);
  form.addEventListener("submit", function () {
    form.querySelector(".pm-busy").hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
  });
}());
