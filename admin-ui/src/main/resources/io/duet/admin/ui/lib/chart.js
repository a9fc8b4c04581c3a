// A line chart of the last values on a canvas (the dashboard's traffic); data-points says how many it drew.

export function chart(id, values, color, label) {
  const c = document.getElementById(id);
  if (!c) return;
  c.dataset.points = String(values.length);
  const g = c.getContext('2d');
  const w = c.width, h = c.height, top = 22, bottom = h - 18;
  g.clearRect(0, 0, w, h);
  const max = Math.max(1, ...values) * 1.15;
  g.strokeStyle = '#d9dee7'; g.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const y = bottom - (k / 4) * (bottom - top);
    g.beginPath(); g.moveTo(40, y); g.lineTo(w - 5, y); g.stroke();
    g.fillStyle = '#5b6472'; g.font = '11px sans-serif';
    g.fillText((max * k / 4).toFixed(max < 10 ? 1 : 0), 2, y + 4);
  }
  const n = Math.max(values.length - 1, 1);
  g.strokeStyle = color; g.lineWidth = 2; g.beginPath();
  values.forEach((v, i) => {
    const x = 40 + (i / n) * (w - 45), y = bottom - (v / max) * (bottom - top);
    i ? g.lineTo(x, y) : g.moveTo(x, y);
  });
  g.stroke();
  g.fillStyle = '#1d2330'; g.font = '12px sans-serif';
  g.fillText(label + ', last ' + (values.length * 2) + ' s', 44, 14);
}
