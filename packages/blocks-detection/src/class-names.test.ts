import { describe, expect, it } from 'vitest';
import { classNamesFromMetadata } from './class-names.js';

describe('classNamesFromMetadata', () => {
  it('reads Ultralytics’ Python dict, JSON lists and JSON objects', () => {
    expect(classNamesFromMetadata([{ key: 'names', value: "{0: 'person', 1: 'bicycle', 2: \"traffic light\"}" }])).toEqual(['person', 'bicycle', 'traffic light']);
    expect(classNamesFromMetadata([{ key: 'class_names', value: '["open", "short"]' }])).toEqual(['open', 'short']);
    expect(classNamesFromMetadata([{ key: 'labels', value: '{"1": "b", "0": "a"}' }])).toEqual(['a', 'b']);
  });

  it('gives undefined when there are no names or the ids have gaps', () => {
    expect(classNamesFromMetadata([{ key: 'author', value: 'me' }])).toBeUndefined();
    expect(classNamesFromMetadata([{ key: 'names', value: "{0: 'a', 2: 'c'}" }])).toBeUndefined();
  });
});
