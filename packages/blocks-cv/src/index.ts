export { cvBlocks, convertGrayscale, imageBlur, threshold, contoursDetection, cameraFocus, dominantColorBlock, pixelColorCount } from './blocks.js';
export { toGrayscale } from './grayscale.js';
export { blurImage, blurTypes, type BlurType } from './blur.js';
export { thresholdImage, thresholdTypes, otsuLevel, type ThresholdType } from './threshold.js';
export { detectContours, type Contour, type ContoursResult } from './contours.js';
export { brennerFocus } from './camera-focus.js';
export { dominantColor } from './dominant-color.js';
export { countColorPixels, parseTargetColor, type Rgb } from './pixel-color-count.js';
