/** Supervision's anchor names (Roboflow's `text_position` / `position` / `..._anchor` values). */
export const anchorPositions = [
  'CENTER',
  'CENTER_LEFT',
  'CENTER_RIGHT',
  'TOP_CENTER',
  'TOP_LEFT',
  'TOP_RIGHT',
  'BOTTOM_LEFT',
  'BOTTOM_CENTER',
  'BOTTOM_RIGHT',
  'CENTER_OF_MASS',
] as const;
export type AnchorPosition = (typeof anchorPositions)[number];

/** The point of a box that an anchor names (supervision's `get_anchors_coordinates`). */
export function anchorPoint(box: { x1: number; y1: number; x2: number; y2: number }, anchor: AnchorPosition): { x: number; y: number } {
  const centerX = (box.x1 + box.x2) / 2;
  const centerY = (box.y1 + box.y2) / 2;
  switch (anchor) {
    case 'CENTER':
    case 'CENTER_OF_MASS':
      return { x: centerX, y: centerY };
    case 'CENTER_LEFT':
      return { x: box.x1, y: centerY };
    case 'CENTER_RIGHT':
      return { x: box.x2, y: centerY };
    case 'TOP_CENTER':
      return { x: centerX, y: box.y1 };
    case 'TOP_LEFT':
      return { x: box.x1, y: box.y1 };
    case 'TOP_RIGHT':
      return { x: box.x2, y: box.y1 };
    case 'BOTTOM_LEFT':
      return { x: box.x1, y: box.y2 };
    case 'BOTTOM_CENTER':
      return { x: centerX, y: box.y2 };
    case 'BOTTOM_RIGHT':
      return { x: box.x2, y: box.y2 };
  }
}
