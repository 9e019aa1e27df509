/** Workflow definitions in the Roboflow Workflows JSON format, version "1.0". */

export interface WorkflowImageInput {
  type: 'WorkflowImage' | 'InferenceImage';
  name: string;
}
export interface WorkflowParameterInput {
  type: 'WorkflowParameter' | 'InferenceParameter';
  name: string;
  default_value?: unknown;
  kind?: Array<string | { name: string }>;
}
export interface WorkflowBatchInput {
  type: 'WorkflowBatchInput';
  name: string;
  kind?: Array<string | { name: string }>;
  dimensionality?: number;
}
/** Roboflow's video frame metadata (kind `video_metadata`), one per image of the batch. */
export interface WorkflowVideoMetadataInput {
  type: 'WorkflowVideoMetadata';
  name: string;
  kind?: Array<string | { name: string }>;
}
/** Roboflow's instance segmentation predictions given at run time: one per image, or one for every image. */
export interface WorkflowInstanceSegmentationInput {
  type: 'WorkflowInstanceSegmentation';
  name: string;
}
export type WorkflowInput = WorkflowImageInput | WorkflowParameterInput | WorkflowBatchInput | WorkflowVideoMetadataInput | WorkflowInstanceSegmentationInput;

export interface WorkflowStep {
  type: string;
  name: string;
  [property: string]: unknown;
}

export interface WorkflowOutput {
  type: 'JsonField';
  name: string;
  selector: string;
  /** `parent` maps detections found on slices or crops back to the parent image. */
  coordinates_system?: 'own' | 'parent';
}

export interface WorkflowDefinition {
  version?: string;
  inputs: WorkflowInput[];
  steps: WorkflowStep[];
  outputs: WorkflowOutput[];
}

export type Selector =
  | { readonly source: 'input'; readonly name: string; readonly text: string }
  | { readonly source: 'step'; readonly step: string; readonly output: string | '*'; readonly text: string };

const selectorPattern = /^\$(inputs|steps)\.([A-Za-z0-9_\-]+)(?:\.([A-Za-z0-9_\-]+|\*))?$/;

/** Parses `$inputs.x`, `$steps.s.out`, `$steps.s.*`, `$steps.s` (step reference); undefined when malformed. */
export function parseSelector(text: string): Selector | undefined {
  const match = selectorPattern.exec(text);
  if (!match) return undefined;
  const [, source, name, output] = match;
  if (source === 'inputs') return output === undefined ? { source: 'input', name: name!, text } : undefined;
  return { source: 'step', step: name!, output: output ?? '', text };
}

export function looksLikeSelector(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('$');
}
