/** Types for the data export of `js-colormaps-es` (it ships none). */
declare module 'js-colormaps-es' {
  export const data: Readonly<Record<string, { readonly interpolate: boolean; readonly colors: readonly (readonly [number, number, number])[] }>> & {
    readonly turbo: { readonly interpolate: boolean; readonly colors: readonly (readonly [number, number, number])[] };
    readonly jet: { readonly interpolate: boolean; readonly colors: readonly (readonly [number, number, number])[] };
  };
}
