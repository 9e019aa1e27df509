export { boundingBoxVisualization } from './bounding-box-visualization.js';
export { labelVisualization } from './label-visualization.js';
