"""The inline stylesheet of the HTML report (no fonts, images or scripts are loaded from anywhere)."""

from __future__ import annotations

from claimcmp.report.plots import STANCE_COLORS

#: Light background per stance for sentences in the claim grid and the full texts.
STANCE_BACKGROUNDS: dict[str, str] = {
    "agree": "#cdeccf",
    "partial": "#e9f6e1",
    "contradict": "#f9d0cd",
    "disputed": "#e6dcf5",
    "mixed": "#fde3c2",
    "unrelated": "#ececec",
    "none": "#ffffff",
}

_STANCE_RULES = "\n".join(
    f".st-{s}{{background:{STANCE_BACKGROUNDS[s]};border-left-color:{STANCE_COLORS.get(s, '#cccccc')}}}"
    for s in STANCE_BACKGROUNDS
)

CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
 color:#1d232b;background:#f6f7f9}
main{max-width:1500px;margin:0 auto;padding:0 28px 60px}
header.top{background:#1f2a37;color:#fff;padding:22px 28px 18px}
header.top h1{margin:0 0 4px;font-size:24px;font-weight:650}
header.top p{margin:2px 0;color:#cbd5e1}
nav.toc{background:#fff;border-bottom:1px solid #dde2e8;padding:8px 28px;position:sticky;top:0;z-index:5}
nav.toc a{margin-right:18px;color:#1f5fa8;text-decoration:none;font-weight:550}
h2{margin:34px 0 10px;font-size:20px;border-bottom:2px solid #dde2e8;padding-bottom:4px}
h3{margin:0 0 4px;font-size:16px}
p.note{color:#555e6b;margin:4px 0 12px;max-width:95ch}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}
.card{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:10px 16px;min-width:130px}
.card b{display:block;font-size:22px}
.card span{color:#555e6b;font-size:13px}
table{border-collapse:collapse;background:#fff}
table.data th,table.data td{border:1px solid #dde2e8;padding:5px 9px;text-align:left;vertical-align:top}
table.data th{background:#eef1f5;font-weight:600}
table.data td.num{text-align:right;font-variant-numeric:tabular-nums}
.legend{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 14px;font-size:13px}
.legend span{padding:2px 10px;border-left-width:5px;border-left-style:solid;border-radius:3px}
.legend span.missing{border:1px dashed #b9c0c9;color:#8a94a1;font-style:italic}
figure{margin:0;background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:8px}
figure img{max-width:100%;height:auto;display:block;margin:0 auto}
figure.wide{grid-column:1/-1}
figcaption{font-size:13px;color:#555e6b;margin-top:4px}
.plots{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:14px;align-items:start}
table.grid{width:100%;table-layout:fixed;border:1px solid #cfd6de}
table.grid th,table.grid td{border:1px solid #dde2e8;padding:7px;vertical-align:top;font-size:14px}
table.grid thead th{background:#1f2a37;color:#fff;position:sticky;top:38px;z-index:2}
table.grid th.claim{width:150px;background:#eef1f5;text-align:left;font-weight:normal}
table.grid thead th.claim{background:#1f2a37}
th.claim .cid{font-weight:700;font-size:15px;color:#1f2a37}
td.missing{background:repeating-linear-gradient(135deg,#fafbfc,#fafbfc 6px,#f1f3f6 6px,#f1f3f6 12px);
 color:#8a94a1;font-style:italic;text-align:center;vertical-align:middle}
a.sent{display:block;color:inherit;text-decoration:none;border-left-width:5px;border-left-style:solid;
 padding:4px 7px;margin:0 0 4px;
 border-radius:3px}
a.sent:hover{outline:2px solid #1f5fa8}
.vs{display:flex;flex-wrap:wrap;gap:4px;margin:0 0 8px 5px}
.vs span{font-size:11.5px;padding:0 6px;border-radius:9px;border:1px solid #cfd6de;background:#fff;color:#333}
.vs span.st-agree{border-color:#2e9d4f}.vs span.st-partial{border-color:#7cc67a}
mark.ev{background:#ffe08a;padding:0 1px;border-radius:2px}
.vs span.st-contradict{border-color:#d7372f;color:#9b1c16;font-weight:600}
.badge{display:inline-block;font-size:12px;padding:1px 8px;border-radius:10px;color:#111;margin-top:4px;
 border:1px solid #0002}
.small{font-size:12.5px;color:#555e6b}
details{margin:10px 0}
details>summary{cursor:pointer;font-weight:600;padding:6px 0;color:#1f5fa8}
.docs{display:grid;grid-template-columns:repeat(auto-fit,minmax(600px,1fr));gap:18px;align-items:start}
article.doc{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:16px 20px;min-width:0}
.docmeta{color:#555e6b;font-size:13px;margin:0 0 10px;word-break:break-all}
.fulltext{white-space:pre-wrap;overflow-wrap:anywhere;font:15px/1.6 Georgia,"Times New Roman",serif}
.fulltext a.s{color:inherit;text-decoration:none;border-bottom:2px solid transparent;border-left:0;padding:1px 0}
.fulltext a.s.st-none{background:transparent}
.fulltext a.s:hover{border-bottom-color:#1f5fa8}
.fulltext del.removed{color:#9aa3ad;text-decoration:line-through;background:#f3f4f6}
:target{outline:3px solid #f5b400;background:#fff3bf !important;scroll-margin-top:70px}
tr:target th.claim{background:#fff3bf}
footer{color:#6b7480;font-size:12.5px;margin-top:40px}
table.contra{width:100%;font-size:14px}
table.contra td:nth-child(-n+2){width:42%}
pre{white-space:pre-wrap;font-size:12px;background:#fff;border:1px solid #dde2e8;padding:10px}
.vs span.copy{border-color:#7a4fb5;color:#4b2a7a;font-style:italic}
tr.copied td{background:#f6f1fc}
""" + _STANCE_RULES
