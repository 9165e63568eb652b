import type { ModerationEventType } from '../../generated/graphql';
import { EVENT_LABEL } from '../../shared/labels';

/** The staff actions the chart shows (refusals and rate limits are noise here). */
const CHARTED: ModerationEventType[] = ['USER_BLOCKED', 'USER_UNBLOCKED', 'BLOCK_EXPIRED', 'AUTOMATED_BLOCK', 'FORCE_DISCONNECT', 'APPEAL_DECIDED'];
const COLORS = ['#b3261e', '#1f6f5c', '#6b6b6b', '#8a4b00', '#1d4f91', '#6a3d9a'];
const HEIGHT = 160;
const BAR = 14;
const GAP = 6;

/**
 * Stacked bars per day, drawn as plain SVG (no chart library), with a table of the same
 * numbers for screen readers.
 */
export function ActionsChart({ since, days, counts }: { since: string; days: number; counts: readonly { day: string; type: ModerationEventType; count: number }[] }) {
  const start = new Date(since).getTime();
  const dayKeys = Array.from({ length: days }, (_, index) => new Date(start + index * 86_400_000).toISOString().slice(0, 10));
  const byDay = new Map(dayKeys.map((day) => [day, new Map<ModerationEventType, number>()]));
  for (const { day, type, count } of counts) byDay.get(day)?.set(type, count);
  const totals = dayKeys.map((day) => CHARTED.reduce((sum, type) => sum + (byDay.get(day)?.get(type) ?? 0), 0));
  const max = Math.max(1, ...totals);
  const width = days * (BAR + GAP);
  return (
    <figure style={{ margin: 0 }}>
      <svg role="img" aria-label={`Moderation actions per day; ${totals.reduce((a, b) => a + b, 0)} in total`} width="100%" viewBox={`0 0 ${width} ${HEIGHT + 20}`} data-testid="actions-chart">
        {dayKeys.map((day, index) => {
          let y = HEIGHT;
          return (
            <g key={day}>
              {CHARTED.map((type, typeIndex) => {
                const count = byDay.get(day)?.get(type) ?? 0;
                if (count === 0) return null;
                const height = (count / max) * HEIGHT;
                y -= height;
                return <rect key={type} x={index * (BAR + GAP)} y={y} width={BAR} height={height} fill={COLORS[typeIndex]} />;
              })}
              {index % 5 === 0 && (
                <text x={index * (BAR + GAP)} y={HEIGHT + 14} fontSize="10" fill="#333">
                  {day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption style={{ display: 'flex', flexWrap: 'wrap', gap: 12, marginTop: 8 }}>
        {CHARTED.map((type, index) => (
          <span key={type}>
            <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, background: COLORS[index], marginRight: 4 }} />
            {EVENT_LABEL[type]}
          </span>
        ))}
      </figcaption>
      <table className="visually-hidden" style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
        <caption>Moderation actions per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {CHARTED.map((type) => (
              <th key={type} scope="col">
                {EVENT_LABEL[type]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {dayKeys.map((day) => (
            <tr key={day}>
              <th scope="row">{day}</th>
              {CHARTED.map((type) => (
                <td key={type}>{byDay.get(day)?.get(type) ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
