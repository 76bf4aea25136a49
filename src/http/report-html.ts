import { html, raw } from 'hono/html';
import { waiverScope } from '../alerts/waivers.js';
import type { HtmlEscapedString } from 'hono/utils/html';
import { nodeName, placeText } from '../lineage/name-node.js';
import type { Report } from '../api/api-schemas.js';

const place = (p: Parameters<typeof placeText>[0]) => placeText(p) || 'unknown location';

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1d2433;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d6dae3;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #eceef3}
th{background:#f4f6fa;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#667085}
.open{color:#b42318;font-weight:600}.ok{color:#067647}.tot{display:flex;gap:2rem;margin:1rem 0}.tot div{font-size:1.1rem}`;

/** Which policy judged what the report shows (docs/policy-changes.md), as a clause of its byline. */
export const judgedByText = (report: Report): string =>
  report.judgedBy
    ? ` under policy ${report.judgedBy.fingerprint.slice(0, 12)} (loaded ${report.judgedBy.loadedAt}${report.judgedBy.judgedAt ? `; the graph re-judged under it ${report.judgedBy.judgedAt}` : ''})`
    : '';

/** What the page's links keep: the policy asked for and the page size. */
export interface ReportLinks {
  policyId?: string | undefined;
  limit: number;
}

/**
 * The audit report as a page people read (GET /api/v1/report?format=html): the summary first, then
 * one page of residual copies with links to the others. Every value is escaped.
 */
export function renderReportHtml(report: Report, links: ReportLinks): HtmlEscapedString | Promise<HtmlEscapedString> {
  const empty = (cols: number, text: string) =>
    html`<tr>
      <td colspan="${cols}" class="muted">${text}</td>
    </tr>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Borderline residency report</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <h1>Residency report</h1>
        <p class="muted">Generated ${report.generatedAt} by Borderline${judgedByText(report)}.</p>
        <div class="tot">
          <div><span class="open">${report.totals.open}</span> open violations</div>
          <div><span class="ok">${report.totals.remediated}</span> remediated</div>
          <div><a href="#residual">${report.residualCopies.total} residual copies</a></div>
        </div>

        <h2>By policy</h2>
        <table>
          <tr>
            <th>policy</th>
            <th>severity</th>
            <th>open</th>
            <th>remediated</th>
          </tr>
          ${
            report.byPolicy.length === 0
              ? empty(4, 'no violations')
              : report.byPolicy.map(
                  (p) =>
                    html`<tr>
                      <td>${p.policyId}</td>
                      <td>${p.severity}</td>
                      <td class="n">${p.open}</td>
                      <td class="n">${p.remediated}</td>
                    </tr>`,
                )
          }
        </table>

        <h2>By region</h2>
        <table>
          <tr>
            <th>where</th>
            <th>open</th>
            <th>remediated</th>
          </tr>
          ${
            report.byRegion.length === 0
              ? empty(3, 'no violations')
              : report.byRegion.map(
                  (r) =>
                    html`<tr>
                      <td>${place(r)}</td>
                      <td class="n">${r.open}</td>
                      <td class="n">${r.remediated}</td>
                    </tr>`,
                )
          }
        </table>

        <h2>Busiest egress routes of protected data</h2>
        <table>
          <tr>
            <th>from</th>
            <th>to</th>
            <th>labels</th>
            <th>events</th>
          </tr>
          ${
            report.egressRoutes.length === 0
              ? empty(4, 'no protected data crossed regions')
              : report.egressRoutes.map(
                  (r) =>
                    html`<tr>
                      <td>${place(r.from)}</td>
                      <td>${place(r.to)}</td>
                      <td>${r.classifications.join(', ')}</td>
                      <td class="n">${r.events}</td>
                    </tr>`,
                )
          }
        </table>

        <h2>Waivers in force</h2>
        <p class="muted">${report.waivers.active.length} active, ${report.waivers.expiringWithin30Days} ending within 30 days.</p>
        <table>
          <tr>
            <th>policy</th>
            <th>covers</th>
            <th>until</th>
            <th>approved by</th>
            <th>justification</th>
          </tr>
          ${
            report.waivers.active.length === 0
              ? empty(5, 'no waiver in force')
              : report.waivers.active.map(
                  (w) =>
                    html`<tr>
                      <td>${w.policyId}</td>
                      <td>${waiverScope(w)}</td>
                      <td class="${w.expiresWithin30Days ? 'open' : ''}">${w.expiresAt}${w.expiresWithin30Days ? ' (soon)' : ''}</td>
                      <td>${w.approvedBy}</td>
                      <td>${w.justification}</td>
                    </tr>`,
                )
          }
        </table>

        <h2 id="residual">Residual copies (data still where it must not be)</h2>
        <p class="muted">${copiesRange(report)}</p>
        <table>
          <tr>
            <th>dataset</th>
            <th>where</th>
            <th>labels</th>
            <th>since</th>
          </tr>
          ${
            report.residualCopies.total === 0
              ? empty(4, 'none: every violating copy has been deleted')
              : report.residualCopies.copies.map(
                  (r) =>
                    html`<tr>
                      <td>${nodeName(r.node, 'reader')}</td>
                      <td>${place(r.node)}</td>
                      <td>${r.classifications.join(', ')}</td>
                      <td>${r.since}</td>
                    </tr>`,
                )
          }
        </table>
        ${pager(report, links)}
      </body>
    </html>`;
}

/** "copies 1–100 of 2,345, oldest first" (or "none"). */
function copiesRange(report: Report): string {
  const { copies, total, offset } = report.residualCopies;
  if (total === 0) return 'none';
  return `copies ${offset + 1}–${offset + copies.length} of ${total.toLocaleString('en-US')}, oldest first`;
}

/** Links to the previous and next pages of residual copies, keeping the policy asked for. */
function pager(report: Report, links: ReportLinks): ReturnType<typeof html> | string {
  const { copies, offset, truncated } = report.residualCopies;
  const at = (o: number) => {
    const q = new URLSearchParams({ format: 'html', offset: String(o), limit: String(links.limit) });
    if (links.policyId) q.set('policyId', links.policyId);
    return `?${q.toString()}#residual`;
  };
  if (offset === 0 && !truncated) return '';
  return html`<p>
    ${offset > 0 ? html`<a href="${at(Math.max(0, offset - links.limit))}">previous ${links.limit}</a>` : ''}
    ${truncated ? html`<a href="${at(offset + copies.length)}">next ${links.limit}</a>` : ''}
  </p>`;
}
