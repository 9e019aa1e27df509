import type { AnomalyMap, Detection, Detections } from '@vad/core';
export declare const annotatedPhotos: string[];
export declare function detection(corners: [number, number, number, number], fields: Partial<Detection> & { class: string; class_id: number; confidence: number }, parentId?: string): Detection;
export declare function photoDetections(name: string, width: number, height: number): Detections;
export declare function blobMap(width: number, height: number, blobs: { x: number; y: number; sigma: number; peak: number }[], threshold?: number): AnomalyMap;
export declare function scatteredDetections(count: number, width: number, height: number): Detections;
