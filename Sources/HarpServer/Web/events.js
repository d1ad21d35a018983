// Harp web player — events for the keyboard and pad, learned from the fitted control signal.

/**
 * Up to `count` columns of the control signal [C, F] that are loud and unlike each other:
 * columns by decreasing energy, each kept only if its cosine similarity with every column
 * already kept is below 0.9. Ordered by their dominant control dimension so neighbouring
 * keys and pad positions sound alike.
 */
export function distinctColumns(control, C, F, count) {
  const columns = [];
  for (let f = 0; f < F; f++) {
    const column = new Float32Array(C);
    let energy = 0;
    for (let c = 0; c < C; c++) { column[c] = control[c * F + f]; energy += column[c] * column[c]; }
    if (energy > 0) columns.push({ column, norm: Math.sqrt(energy) });
  }
  columns.sort((a, b) => b.norm - a.norm);
  const kept = [];
  for (const candidate of columns) {
    if (kept.length >= count) break;
    const similar = kept.some((k) => {
      let dot = 0;
      for (let c = 0; c < C; c++) dot += k.column[c] * candidate.column[c];
      return dot / (k.norm * candidate.norm) > 0.9;
    });
    if (!similar) kept.push(candidate);
  }
  const dominant = (column) => column.indexOf(Math.max(...column));
  kept.sort((a, b) => dominant(a.column) - dominant(b.column));
  return kept.map((k) => k.column);
}
