/* "Listen": reads a trip aloud with the browser's own speech synthesis, in the page's language,
   for riders who read little. A button stays hidden unless the browser has a voice whose
   language starts with the page's (no voice: a wrong accent reading Arabic helps nobody).
   Voices often arrive late ("voiceschanged"), so the check runs again then. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button.listen[data-say]");
  var synth = window.speechSynthesis;
  if (!buttons.length || !synth || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var language = (document.documentElement.lang || "").toLowerCase();

  function voice() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i += 1) {
      var lang = String(voices[i].lang || "").toLowerCase().replace("_", "-");
      if (language && (lang === language || lang.indexOf(language + "-") === 0)) {
        return voices[i];
      }
    }
    return null;
  }

  function sync() {
    var found = voice() !== null;
    buttons.forEach(function (button) { button.hidden = !found; });
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var found = voice();
      if (!found) { return; }
      synth.cancel();
      var utterance = new window.SpeechSynthesisUtterance(button.getAttribute("data-say"));
      utterance.lang = found.lang;
      synth.speak(utterance);
    });
  });
  sync();
  if (typeof synth.addEventListener === "function") {
    synth.addEventListener("voiceschanged", sync);
  }
})();
