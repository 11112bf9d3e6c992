'use client';

/**
 * The tracking pages' charts (recharts): a metric's history, one metric across runs, and a param
 * against a metric. Each is a figure whose caption says in words what the chart shows.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  ZAxis,
} from 'recharts';
import {
  compareRows,
  describeCompareChart,
  describeFinalValues,
  finalValues,
  describeHistory,
  describeScatter,
  historyPoints,
  seriesColor,
  type CompareSeries,
  type ScatterData,
} from './chart-data';
import { formatMetric } from './format';
import type { Metric } from './tracking-client';
import styles from './Tracking.module.css';

const axisStyle = { fontSize: 11, fill: 'var(--fg-muted)' };
const tooltipStyle = {
  contentStyle: {
    background: 'var(--bg-raised)',
    border: '1px solid var(--border)',
    borderRadius: 6,
    fontSize: 12,
    color: 'var(--fg)',
  },
  labelStyle: { color: 'var(--fg-muted)' },
};
const formatTick = (value: unknown) => (typeof value === 'number' ? formatMetric(value) : String(value));

/** A small chart of one metric's history over steps (the run page). */
export function HistoryChart({ metricKey, history }: { metricKey: string; history: readonly Metric[] }) {
  const data = historyPoints(history);
  return (
    <figure className={styles.sparkFigure}>
      <div aria-hidden="true" className={styles.chartBox}>
        <LineChart
          responsive
          data={data}
          style={{ width: '100%', height: 120 }}
          margin={{ top: 6, right: 8, bottom: 0, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="step"
            type="number"
            domain={['dataMin', 'dataMax']}
            tick={axisStyle}
            allowDecimals={false}
          />
          <YAxis width={48} tick={axisStyle} tickFormatter={formatTick} domain={['auto', 'auto']} />
          <Tooltip
            {...tooltipStyle}
            labelFormatter={(step) => `step ${String(step)}`}
            formatter={(value) => [formatTick(value), metricKey]}
          />
          <Line
            type="monotone"
            dataKey="value"
            stroke="var(--accent)"
            strokeWidth={2}
            dot={data.length <= 30 ? { r: 2.5, fill: 'var(--accent)', strokeWidth: 0 } : false}
            isAnimationActive={false}
            connectNulls
          />
        </LineChart>
      </div>
      <figcaption className="visually-hidden">
        {metricKey}: {describeHistory(history)}.
      </figcaption>
    </figure>
  );
}

/**
 * One metric across several runs (the compare view): one line per run over steps, or one bar per
 * run when every run logged it at a single step (a final score).
 */
export function CompareChart({
  metricKey,
  series,
  runIds,
}: {
  metricKey: string;
  series: readonly CompareSeries[];
  /** The compared runs in order, for their colours (the same in every chart). */
  runIds: readonly string[];
}) {
  const data = compareRows(series);
  const colorOf = (runId: string) => seriesColor(Math.max(0, runIds.indexOf(runId)));
  if (data.length <= 1) {
    const bars = finalValues(series);
    return (
      <figure className={styles.chartFigure}>
        <figcaption className={styles.chartTitle}>{metricKey}</figcaption>
        <div aria-hidden="true" className={styles.chartBox}>
          <BarChart
            responsive
            data={bars}
            style={{ width: '100%', height: 200 }}
            margin={{ top: 6, right: 12, bottom: 0, left: 0 }}
            accessibilityLayer={false}
          >
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            {/* Names would overlap under narrow bars: the colours match the runs listed above. */}
            <XAxis dataKey="runName" tick={false} height={6} />
            <YAxis width={52} tick={axisStyle} tickFormatter={formatTick} />
            <Tooltip
              {...tooltipStyle}
              cursor={{ fill: 'color-mix(in srgb, var(--fg) 6%, transparent)' }}
              formatter={(value) => [formatTick(value), metricKey]}
            />
            <Bar dataKey="value" isAnimationActive={false} maxBarSize={48}>
              {bars.map((bar) => (
                <Cell key={bar.runId} fill={colorOf(bar.runId)} />
              ))}
            </Bar>
          </BarChart>
        </div>
        <p className="visually-hidden">{describeFinalValues(metricKey, series)}</p>
      </figure>
    );
  }
  const isFewPoints = data.length <= 30;
  return (
    <figure className={styles.chartFigure}>
      <figcaption className={styles.chartTitle}>{metricKey}</figcaption>
      <div aria-hidden="true" className={styles.chartBox}>
        <LineChart
          responsive
          data={data}
          style={{ width: '100%', height: 200 }}
          margin={{ top: 6, right: 12, bottom: 0, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="step"
            type="number"
            domain={['dataMin', 'dataMax']}
            tick={axisStyle}
            allowDecimals={false}
          />
          <YAxis width={52} tick={axisStyle} tickFormatter={formatTick} domain={['auto', 'auto']} />
          <Tooltip
            {...tooltipStyle}
            labelFormatter={(step) => `step ${String(step)}`}
            formatter={(value, name) => [formatTick(value), String(name)]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Line
              key={s.runId}
              type="monotone"
              dataKey={s.runId}
              name={s.runName}
              stroke={colorOf(s.runId)}
              strokeWidth={2}
              dot={isFewPoints ? { r: 3, fill: colorOf(s.runId), strokeWidth: 0 } : false}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </div>
      <p className="visually-hidden">{describeCompareChart(metricKey, series)}</p>
    </figure>
  );
}

/** A param against a metric, one point per run, coloured as in the line charts. */
export function ParamScatter({
  paramKey,
  metricKey,
  data,
  runIds,
}: {
  paramKey: string;
  metricKey: string;
  data: ScatterData;
  /** The compared runs in order, for their colours. */
  runIds: readonly string[];
}) {
  const categories = data.categories;
  const xTick = (value: unknown) =>
    categories
      ? (categories[Number(value)] ?? '')
      : typeof value === 'number'
        ? formatMetric(value)
        : String(value);
  return (
    <figure className={styles.chartFigure}>
      <div aria-hidden="true" className={styles.chartBox}>
        <ScatterChart
          responsive
          style={{ width: '100%', height: 240 }}
          margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            name={paramKey}
            tick={axisStyle}
            tickFormatter={xTick}
            domain={categories ? [-0.5, categories.length - 0.5] : ['auto', 'auto']}
            ticks={categories ? categories.map((_, index) => index) : undefined}
            label={{
              value: paramKey,
              position: 'insideBottom',
              offset: -4,
              fontSize: 11,
              fill: 'var(--fg-muted)',
            }}
            height={40}
          />
          <YAxis
            dataKey="y"
            type="number"
            name={metricKey}
            width={56}
            tick={axisStyle}
            tickFormatter={formatTick}
            domain={['auto', 'auto']}
          />
          <ZAxis range={[70, 70]} />
          <Tooltip
            {...tooltipStyle}
            cursor={{ strokeDasharray: '3 3' }}
            formatter={(value, name) => [name === paramKey ? xTick(value) : formatTick(value), String(name)]}
          />
          <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 4 }} />
          {data.points.map((point) => (
            <Scatter
              key={point.runId}
              name={point.runName}
              data={[point]}
              fill={seriesColor(Math.max(0, runIds.indexOf(point.runId)))}
              isAnimationActive={false}
            />
          ))}
        </ScatterChart>
      </div>
      <figcaption className={styles.chartCaption}>{describeScatter(paramKey, metricKey, data)}</figcaption>
    </figure>
  );
}
