import DriftTransport

/// The dashboard's shared layout: one HTML document shell (viewport meta, inline style sheet, header with the
/// navigation, `/static/app.js` for refresh) and the security headers every page carries. Pages hand in their
/// `<main>` content already escaped.
enum DashboardPage {
    enum Section: Sendable {
        case sources
        case alerts
    }

    /// Seconds between the script's refreshes of `<main>` (0 = never).
    static let refreshSeconds = 30

    /// No inline script and nothing from elsewhere: styles inline (the page's one `<style>` and SVG attributes),
    /// scripts only `/static/app.js`, images only `data:` URLs, `fetch` only back to driftd, no framing.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; "
        + "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    static let securityHeaders = [
        HTTPHeader("Content-Security-Policy", contentSecurityPolicy),
        HTTPHeader("X-Frame-Options", "DENY"),
        HTTPHeader("Referrer-Policy", "no-referrer"),
    ]  // plus `X-Content-Type-Options: nosniff`, which `HTTPRouter.finish` adds to every response

    /// A complete page: `title` (plain text, escaped here), `main` (markup), `api` (the JSON route with the same
    /// data, linked in the footer).
    static func response(_ status: Int = 200, title: String, section: Section?, main: String, api: String? = nil,
                         refresh: Bool = true) -> HTTPResponse {
        let nav = [(Section.sources, "/", "Sources"), (.alerts, "/alerts", "Alerts")].map { s, href, label in
            "<a href=\"\(href)\"\(s == section ? " aria-current=\"page\"" : "")>\(label)</a>"
        }.joined()
        let footer = api.map { "JSON: <a href=\"\(HTMLText.escape($0))\">\(HTMLText.escape($0))</a> · " } ?? ""
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title)) · driftd</title>
            <style>\(style)</style>
            <script src="/static/app.js" defer></script>
            </head><body>
            <header><a class="brand" href="/">driftd</a><nav>\(nav)</nav><span id="updated" class="muted"></span></header>
            <main data-refresh="\(refresh ? refreshSeconds : 0)">
            \(main)
            </main>
            <footer>\(footer)<a href="/api/v1/stats">server stats</a> · times in UTC</footer>
            </body></html>

            """
        return HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "text/html; charset=utf-8")] + securityHeaders,
                            body: Array(html.utf8))
    }

    /// The 404 page: what was not found, and a way back.
    static func notFound(_ what: String, back: (href: String, label: String) = ("/", "all sources")) -> HTTPResponse {
        response(404, title: "Not found", section: nil, main: """
            <h1>Not found</h1>
            <p class="empty">\(HTMLText.escape(what))</p>
            <p><a href="\(back.href)">← \(HTMLText.escape(back.label))</a></p>
            """, refresh: false)
    }

    /// A 500 page for a store error (the message is escaped).
    static func failure(_ message: String) -> HTTPResponse {
        response(500, title: "Error", section: nil, main: """
            <h1>Something went wrong</h1><p class="empty">\(HTMLText.escape(message))</p>
            """, refresh: false)
    }

    /// A status badge: colour **and** a word (and a symbol), never colour alone; `custom` replaces the word.
    static func badge(_ health: String, label custom: String? = nil) -> String {
        let (symbol, label): (String, String) = switch health {
        case "ok": ("✓", "OK")
        case "warning": ("▲", "Warning")
        case "critical": ("✖", "Critical")
        case "stale": ("◷", "Stale")
        case "drifting": ("✖", "Drifting")
        case "recovering": ("↺", "Recovering")
        case "pending": ("…", "Pending")
        case "info": ("ℹ", "Info")
        case "firing": ("●", "Firing")
        case "muted": ("⊘", "Muted")
        case "delivered": ("✓", "Delivered")
        case "failed": ("✖", "Failed")
        default: ("?", health)
        }
        let text = custom ?? label
        return "<span class=\"badge \(HTMLText.escape(health))\"><span aria-hidden=\"true\">\(symbol)</span> \(HTMLText.escape(text))</span>"
    }

    static let style = """
        :root{--fg:#1f2933;--muted:#66768a;--line:#e3e7ee;--bg:#f6f8fb;--card:#fff;--link:#1f5fbf}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
        a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
        header{display:flex;align-items:center;gap:18px;padding:10px 20px;background:#1f2933;color:#fff;flex-wrap:wrap}
        header .brand{color:#fff;font-weight:700;font-size:18px;letter-spacing:.3px}
        header nav a{color:#cfd8e3;margin-right:14px;padding:4px 0}
        header nav a[aria-current=page]{color:#fff;border-bottom:2px solid #7fb0ff}
        header #updated{margin-left:auto;color:#9fb0c3;font-size:13px}
        main{max-width:1200px;margin:0 auto;padding:18px 20px 8px}
        footer{max-width:1200px;margin:0 auto;padding:10px 20px 24px;color:var(--muted);font-size:13px}
        h1{font-size:24px;margin:4px 0 6px;display:flex;align-items:center;gap:10px;flex-wrap:wrap;word-break:break-word}
        h2{font-size:17px;margin:26px 0 8px}
        .panel h2{margin-top:0}
        .crumbs{font-size:14px;color:var(--muted);margin-bottom:4px;word-break:break-word}
        .muted{color:var(--muted)}
        .summary{color:var(--muted);margin:0 0 14px}
        .badge{display:inline-block;padding:1px 9px;border-radius:11px;font-size:13px;font-weight:600;white-space:nowrap;border:1px solid transparent}
        .badge.ok{background:#e3f4e8;color:#1c6b35;border-color:#b9e2c6}
        .badge.warning{background:#fff4d6;color:#8a5a00;border-color:#f0d68a}
        .badge.critical,.badge.drifting{background:#fde4e1;color:#a3261b;border-color:#f3b5ad}
        .badge.stale{background:#ece8f6;color:#54408f;border-color:#cfc5ea}
        .badge.recovering,.badge.pending,.badge.info{background:#e4eefc;color:#24508f;border-color:#bcd2f3}
        .badge.delivered{background:#e3f4e8;color:#1c6b35;border-color:#b9e2c6}
        .badge.failed,.badge.firing{background:#fde4e1;color:#a3261b;border-color:#f3b5ad}
        .badge.muted,.badge.unknown{background:#eef0f3;color:#4a5568;border-color:#d5dae1}
        h3.group{font-size:15px;margin:14px 0 6px;display:flex;align-items:center;gap:8px}
        tr.mutedrow td{color:var(--muted)}
        td.text{white-space:normal;word-break:break-word;min-width:140px}
        .labels{font-weight:400;margin-top:2px}
        .check{font-size:12px;color:var(--muted);font-weight:400;white-space:nowrap}
        td .check{display:block;margin:1px 0 0 4px}
        .banner{border-radius:10px;padding:10px 14px;margin:0 0 14px;border:1px solid}
        .banner.stale{background:#f3f0fa;border-color:#cfc5ea;color:#3d2f6b}
        .grid2.pair{grid-template-columns:repeat(auto-fill,minmax(460px,1fr))}
        tr.grouprow th{background:var(--card);padding-top:12px;color:var(--fg);font-size:14px}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:14px}
        .card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
        .card h3{margin:0 0 8px;font-size:17px;display:flex;justify-content:space-between;align-items:center;gap:8px;word-break:break-word}
        .card.critical{border-left:5px solid #c0392b}.card.warning{border-left:5px solid #c98a00}.card.stale{border-left:5px solid #7a5fc0}.card.ok{border-left:5px solid #3b9a5a}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}
        dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;word-break:break-word}
        .panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin-bottom:14px}
        .grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:14px}
        .scroll{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:10px}
        table{border-collapse:collapse;width:100%;font-size:14px}
        th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle;white-space:nowrap}
        th{font-size:13px;font-weight:600;color:var(--muted);background:#fafbfd}
        th.num{text-align:right}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        td.name{white-space:normal;word-break:break-word;min-width:120px;font-weight:600}
        tr.alerting td{background:#fff8f7}
        .late{color:#a3261b;font-weight:600}
        .empty{background:var(--card);border:1px dashed #c5cede;border-radius:10px;padding:22px;color:var(--muted)}
        .note{font-size:13px;color:var(--muted);margin:6px 0 0}
        svg.chart{display:block;max-width:100%;height:auto;margin:0 auto}
        svg.spark{vertical-align:middle}
        code{background:#eef2f7;padding:1px 5px;border-radius:4px;font-size:13px}
        @media (max-width:640px){
          main{padding:12px 10px}header{padding:8px 12px;gap:10px}
          .cards{grid-template-columns:1fr}.grid2{grid-template-columns:1fr}
          th.wide,td.wide{display:none}
          .grid2.pair{grid-template-columns:1fr}
          table.stack thead{display:none}
          table.stack tr{display:grid;grid-template-columns:1fr 1fr;gap:2px 12px;padding:8px 10px;border-bottom:1px solid var(--line)}
          table.stack td,table.stack th{border:0;padding:2px 0;white-space:normal;text-align:left}
          table.stack tr.grouprow{display:block}
          table.stack tr.alerting{background:#fff8f7}table.stack tr.alerting td{background:transparent}
          table.stack td[data-label]::before{content:attr(data-label);display:block;font-size:11px;color:var(--muted);font-weight:400}
          h1{font-size:21px}
        }
        """
}
