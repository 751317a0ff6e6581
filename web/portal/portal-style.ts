/**
 * The portal's one stylesheet, small enough to send whole: system fonts, dark text on white
 * (contrast well past 4.5:1), a visible focus ring, targets at least 44 px high, one column that
 * reflows at 320 px wide (zoom 400% on a laptop, a cheap phone).
 */
export const PORTAL_CSS = `*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:100%;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0 auto;max-width:48rem;padding:0 1rem}
a{color:#0b4f9c;text-underline-offset:.15em}
a:visited{color:#5a2d8c}
:focus-visible{outline:3px solid #b35900;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:1rem}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;border-bottom:2px solid #0b4f9c;padding:.5rem 0}
.site{margin:0;font-weight:700;font-size:1.25rem}
.langs{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
.langs a,.langs span{display:inline-block;min-height:44px;padding:.6rem .25rem}
h1{font-size:1.6rem;line-height:1.25;overflow-wrap:anywhere}
h2{font-size:1.3rem}h3{font-size:1.15rem}
.intro{font-size:1.1rem}
form.search{background:#f2f5f9;border:1px solid #c5ced8;border-radius:.5rem;padding:.5rem 1rem}
form.search label{display:block;font-weight:600}
input,select,button{font:inherit;min-height:44px;width:100%;max-width:30rem;padding:.4rem .6rem;border:1px solid #5c6670;border-radius:.3rem;background:#fff;color:#1a1a1a}
button,.button{background:#0b4f9c;color:#fff;border:0;font-weight:600;cursor:pointer;width:auto;padding:.6rem 1.2rem;display:inline-block;border-radius:.3rem;text-decoration:none}
a.button,a.button:visited{color:#fff}
.hint{display:block;color:#4a525a;font-size:.95rem}
.records{padding-left:1.25rem}
.records li{margin:.6rem 0}
.records a{display:inline-block;min-height:24px;overflow-wrap:anywhere}
.facts{display:block;color:#4a525a;font-size:.95rem}
.snippet{display:block;font-size:.95rem}
mark{background:#ffe58a;color:#1a1a1a}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;color:#1a1a1a}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.citation{background:#f2f5f9;border-left:4px solid #0b4f9c;padding:.5rem 1rem;overflow-wrap:anywhere}
.pager a{display:inline-block;min-height:44px;padding:.6rem 1rem}
.actions a{display:inline-block;min-height:44px;padding:.6rem .25rem;margin:.25rem .5rem .25rem 0}
.actions a.button{padding:.6rem 1.2rem}
details{margin:.5rem 0}summary{cursor:pointer;min-height:44px;padding:.6rem 0}
footer{border-top:1px solid #c5ced8;margin-top:2rem;padding:1rem 0}
`;
