function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** Up to `count` of `candidates` closest to `name` (substring matches first, then edit distance). */
export function closestNames(name: string, candidates: Iterable<string>, count = 5): string[] {
  const lower = name.toLowerCase();
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, score: (candidate.toLowerCase().includes(lower) ? 0 : 1000) + editDistance(lower, candidate.toLowerCase()) }))
    .sort((first, second) => first.score - second.score || first.candidate.localeCompare(second.candidate))
    .slice(0, count)
    .map((item) => item.candidate);
}
