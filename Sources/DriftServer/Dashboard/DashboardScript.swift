import DriftTransport

/// `/static/app.js`, the dashboard's only script (the pages' CSP allows scripts from 'self' only): every
/// `data-refresh` seconds, while the tab is visible, it fetches the page again and swaps in the new `<main>`
/// (parsed with DOMParser, so nothing in it runs), and shows when that last happened.
enum DashboardScript {
    static let source = """
        (function () {
          "use strict";
          var main = document.querySelector("main");
          var stamp = document.getElementById("updated");
          var seconds = main ? parseInt(main.getAttribute("data-refresh") || "0", 10) : 0;
          function show(text) { if (stamp) { stamp.textContent = text; } }
          function clock() { return new Date().toISOString().slice(11, 19) + " UTC"; }
          show("updated " + clock());
          if (!seconds) { return; }
          function refresh() {
            if (document.hidden) { return; }
            fetch(location.href, { headers: { "Accept": "text/html" }, cache: "no-store" })
              .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.text(); })
              .then(function (text) {
                var fresh = new DOMParser().parseFromString(text, "text/html").querySelector("main");
                if (fresh) { main.replaceWith(fresh); main = fresh; show("updated " + clock()); }
              })
              .catch(function (e) { show("refresh failed (" + e.message + "), retrying"); });
          }
          setInterval(refresh, seconds * 1000);
        })();

        """

    static func response() -> HTTPResponse {
        HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "text/javascript; charset=utf-8")],
                     body: Array(source.utf8))
    }
}
