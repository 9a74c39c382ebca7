import type { RatingMatrix } from '../../data/ratingMatrix';

/** Mean rating per user and per item over the fitted ratings; unseen users/items fall back to the global mean. */
export function meanTables(m: RatingMatrix) {
  const us = new Float64Array(m.nUsers);
  const uc = new Float64Array(m.nUsers);
  const is = new Float64Array(m.nItems);
  const ic = new Float64Array(m.nItems);
  let total = 0;
  for (let k = 0; k < m.length; k++) {
    us[m.users[k]] += m.values[k];
    uc[m.users[k]]++;
    is[m.items[k]] += m.values[k];
    ic[m.items[k]]++;
    total += m.values[k];
  }
  const global = total / Math.max(1, m.length);
  const userMean = new Float64Array(m.nUsers);
  const itemMean = new Float64Array(m.nItems);
  for (let u = 0; u < m.nUsers; u++) userMean[u] = uc[u] > 0 ? us[u] / uc[u] : global;
  for (let i = 0; i < m.nItems; i++) itemMean[i] = ic[i] > 0 ? is[i] / ic[i] : global;
  return { global, userMean, itemMean };
}
