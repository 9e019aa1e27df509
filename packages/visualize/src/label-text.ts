import type { PixelBox } from './detection-boxes.js';

/** Roboflow's `text` choices for label_visualization; any other value names a detection property. */
export const labelTextChoices = ['Class', 'Confidence', 'Class and Confidence', 'Index', 'Dimensions', 'Area', 'Tracker Id', 'Time In Zone'] as const;

const present = (value: unknown) => value !== undefined && value !== null && value !== '' && value !== 0 && value !== false;

/** The text Roboflow's label block shows for a detection (same formats: two decimals, integer pixels). */
export function labelText(choice: string, box: PixelBox): string {
  const { detection } = box;
  switch (choice) {
    case 'Class':
      return String(detection.class ?? '');
    case 'Confidence':
      return Number(detection.confidence).toFixed(2);
    case 'Class and Confidence':
      return `${detection.class ?? ''} ${Number(detection.confidence).toFixed(2)}`;
    case 'Index':
      return String(box.index);
    case 'Dimensions':
      return `${Math.trunc(detection.x)}, ${Math.trunc(detection.y)} ${Math.trunc(detection.width)}x${Math.trunc(detection.height)}`;
    case 'Area':
      return String(Math.trunc(detection.width * detection.height));
    case 'Tracker Id':
      return present(detection.tracker_id) ? String(detection.tracker_id) : 'No Tracker ID';
    case 'Time In Zone': {
      const time = detection['time_in_zone'];
      return typeof time === 'number' && time ? `In zone: ${Math.round(time * 100) / 100}s` : 'In zone: N/A';
    }
    default: {
      const value = detection[choice];
      return present(value) ? String(value) : '';
    }
  }
}
