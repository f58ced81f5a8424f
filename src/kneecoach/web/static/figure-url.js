// The address of an exercise's moving figure as the player asks for it, shared by the
// player and the service worker (which keeps the figures of today's session for offline).
self.kneecoachFigureUrl = function (figure, speed) {
  "use strict";
  const query = new URLSearchParams({variant: figure.variant, side: figure.side, speed: String(speed)});
  if (figure.hold_seconds !== null) query.set("hold", String(figure.hold_seconds));
  return "/exercises/" + encodeURIComponent(figure.exercise) + "/figure.svg?" + query;
};
