// A live chart of one numeric column of a query, drawn as SVG: over time for
// a stream (a line of the last values, by arrival), per key for a table
// (a bar per key, its latest value). Redrawn at most once per frame.

const SVG = 'http://www.w3.org/2000/svg';
const MAX_POINTS = 300;
const WIDTH = 600;
const HEIGHT = 200;
const PAD = 36;

const NUMERIC = /^(?:INT|INTEGER|BIGINT|DOUBLE|DECIMAL)/i;

/** The indexes of the columns whose SQL types are numeric. */
export function numericColumns(types) {
  return types.map((t, i) => (NUMERIC.test(t) ? i : -1)).filter((i) => i >= 0);
}

export class LiveChart {
  /** @param {'time'|'key'} mode */
  constructor(host, label) {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    this.svg.setAttribute('role', 'img');
    this.svg.classList.add('chart');
    this.label = label;
    host.append(this.svg);
    this.reset('time', 0, 0);
  }

  /** Starts over, charting column `valueIndex`, keyed by column `keyIndex` in 'key' mode. */
  reset(mode, valueIndex, keyIndex) {
    this.mode = mode;
    this.valueIndex = valueIndex;
    this.keyIndex = keyIndex;
    this.points = [];
    this.byKey = new Map();
    this.draw();
  }

  add(row) {
    const value = Number(row[this.valueIndex]);
    if (row[this.valueIndex] === null || !Number.isFinite(value)) return;
    if (this.mode === 'time') {
      this.points.push([Date.now(), value]);
      if (this.points.length > MAX_POINTS) this.points.shift();
    } else {
      this.lastKey = row[this.keyIndex];
      this.byKey.set(JSON.stringify(this.lastKey), value);
    }
    if (this.pending === undefined) this.pending = requestAnimationFrame(() => this.draw());
  }

  get size() {
    return this.mode === 'time' ? this.points.length : this.byKey.size;
  }

  draw() {
    this.pending = undefined;
    const values = this.mode === 'time' ? this.points.map((p) => p[1]) : [...this.byKey.values()];
    const min = Math.min(0, ...values);
    const max = Math.max(1, ...values);
    const y = (v) => HEIGHT - PAD / 2 - ((v - min) / (max - min || 1)) * (HEIGHT - PAD);
    const children = [axis(PAD, y(max), PAD, y(min)), axis(PAD, y(0), WIDTH - 4, y(0)),
      text(2, y(max) + 4, format(max)), text(2, y(min), format(min))];
    if (this.mode === 'time' && this.points.length > 0) {
      const t0 = this.points[0][0];
      const span = Math.max(1, this.points.at(-1)[0] - t0);
      const x = (t) => PAD + ((t - t0) / span) * (WIDTH - PAD - 8);
      const line = document.createElementNS(SVG, 'polyline');
      line.setAttribute('points', this.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' '));
      line.classList.add('series');
      children.push(line);
      for (const [t, v] of this.points.slice(-50)) children.push(dot(x(t), y(v)));
    } else if (this.mode === 'key') {
      const entries = [...this.byKey].slice(-40);
      const step = (WIDTH - PAD - 8) / Math.max(1, entries.length);
      entries.forEach(([key, v], i) => {
        const bar = document.createElementNS(SVG, 'rect');
        const top = Math.min(y(v), y(0));
        bar.setAttribute('x', (PAD + i * step + step * 0.1).toFixed(1));
        bar.setAttribute('width', (step * 0.8).toFixed(1));
        bar.setAttribute('y', top.toFixed(1));
        bar.setAttribute('height', Math.abs(y(v) - y(0)).toFixed(1));
        bar.classList.add('bar');
        const title = document.createElementNS(SVG, 'title');
        title.textContent = `${JSON.parse(key)}: ${v}`;
        bar.append(title);
        children.push(bar);
        if (step > 30) children.push(text(PAD + i * step + step * 0.1, HEIGHT - 2, String(JSON.parse(key)).slice(0, 8)));
      });
    }
    this.svg.replaceChildren(...children);
    this.svg.dataset.points = String(this.size);
    const latest = this.mode === 'time' ? `, latest ${values.at(-1)}` : `, last changed ${this.lastKey} = ${this.byKey.get(JSON.stringify(this.lastKey))}`;
    this.svg.setAttribute('aria-label', `${this.label}: ${this.size} ${this.mode === 'time' ? 'values over time' : 'keys'}${values.length ? latest : ''}`);
  }
}

function axis(x1, y1, x2, y2) {
  const line = document.createElementNS(SVG, 'line');
  Object.entries({ x1, y1, x2, y2 }).forEach(([k, v]) => line.setAttribute(k, v.toFixed(1)));
  line.classList.add('axis');
  return line;
}

function text(x, y, content) {
  const t = document.createElementNS(SVG, 'text');
  t.setAttribute('x', x.toFixed(1));
  t.setAttribute('y', y.toFixed(1));
  t.textContent = content;
  return t;
}

function dot(x, y) {
  const c = document.createElementNS(SVG, 'circle');
  c.setAttribute('cx', x.toFixed(1));
  c.setAttribute('cy', y.toFixed(1));
  c.setAttribute('r', '2.5');
  return c;
}

function format(v) {
  return Math.abs(v) >= 1e6 ? v.toExponential(1) : String(Math.round(v * 100) / 100);
}
