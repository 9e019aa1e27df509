/**
 * The Roboflow type names each vad block answers to, as read from the `type: Literal[...]` line of
 * each manifest in roboflow/inference (paths under inference/core/workflows/core_steps/, and
 * inference/enterprise/workflows/enterprise_blocks/ for the enterprise sinks). Only
 * versions whose semantics vad implements are listed. vad's own blocks with no Roboflow
 * counterpart answer to no other name. continue_if and detections_filter are left to the work
 * that gives them Roboflow's query-language semantics.
 */
export const expectedAliases: Readonly<Record<string, readonly string[]>> = {
  'vad/object_detection_model@v1': [
    // models/roboflow/object_detection/v1.py
    'roboflow_core/roboflow_object_detection_model@v1',
    'RoboflowObjectDetectionModel',
    'ObjectDetectionModel',
    // models/roboflow/object_detection/v2.py (adds the model_id output)
    'roboflow_core/roboflow_object_detection_model@v2',
    // models/roboflow/object_detection/v3.py (confidence_mode, custom_confidence)
    'roboflow_core/roboflow_object_detection_model@v3',
  ],
  'vad/classification_model@v1': [
    // models/roboflow/multi_class_classification/v1.py
    'roboflow_core/roboflow_classification_model@v1',
    'ClassificationModel',
    'RoboflowClassificationModel',
    // v2.py (adds the model_id output); v3.py (confidence_mode 'default' | 'custom', custom_confidence)
    'roboflow_core/roboflow_classification_model@v2',
    'roboflow_core/roboflow_classification_model@v3',
  ],
  'vad/detection_and_classification@v1': [
    // models/roboflow/detection_and_classification/v1.py (no short literal)
    'roboflow_core/detection_and_classification@v1',
  ],
  'vad/multi_label_classification_model@v1': [
    // models/roboflow/multi_label_classification/v1.py
    'roboflow_core/roboflow_multi_label_classification_model@v1',
    'RoboflowMultiLabelClassificationModel',
    'MultiLabelClassificationModel',
    // v2.py; v3.py (confidence_mode 'best' | 'default' | 'custom', custom_confidence)
    'roboflow_core/roboflow_multi_label_classification_model@v2',
    'roboflow_core/roboflow_multi_label_classification_model@v3',
  ],
  'vad/instance_segmentation_model@v1': [
    // models/roboflow/instance_segmentation/v1.py
    'roboflow_core/roboflow_instance_segmentation_model@v1',
    'RoboflowInstanceSegmentationModel',
    'InstanceSegmentationModel',
    // models/roboflow/instance_segmentation/v2.py (adds the model_id output)
    'roboflow_core/roboflow_instance_segmentation_model@v2',
    // models/roboflow/instance_segmentation/v3.py (confidence_mode, custom_confidence, enforce_dense_masks_in_inference_models)
    'roboflow_core/roboflow_instance_segmentation_model@v3',
  ],
  'vad/instance_segmentation_model@v2': [
    // models/roboflow/instance_segmentation/v4.py (masks as COCO RLE, `rle_mask`)
    'roboflow_core/roboflow_instance_segmentation_model@v4',
    // v5.py, in Roboflow for a while (forwards mask_decode_mode; full-size RLE output), since withdrawn
    'roboflow_core/roboflow_instance_segmentation_model@v5',
  ],
  // classical_cv/mask_area_measurement/v1.py
  'vad/mask_area_measurement@v1': ['roboflow_core/mask_area_measurement@v1'],
  // classical_cv/mask_edge_snap/v1.py
  'vad/mask_edge_snap@v1': ['roboflow_core/mask_edge_snap@v1'],
  'vad/semantic_segmentation_model@v1': [
    // models/roboflow/semantic_segmentation/v1.py (images, model_id)
    'roboflow_core/roboflow_semantic_segmentation_model@v1',
    // models/roboflow/semantic_segmentation/v2.py (confidence_mode, custom_confidence)
    'roboflow_core/roboflow_semantic_segmentation_model@v2',
  ],
  // classical_cv/detections_nearest_neighbor/v1.py
  'vad/detections_nearest_neighbor@v1': ['roboflow_core/detections_nearest_neighbor@v1'],
  'vad/keypoint_detection_model@v1': [
    // models/roboflow/keypoint_detection/v1.py
    'roboflow_core/roboflow_keypoint_detection_model@v1',
    'RoboflowKeypointDetectionModel',
    'KeypointsDetectionModel',
    // models/roboflow/keypoint_detection/v2.py (adds the model_id output)
    'roboflow_core/roboflow_keypoint_detection_model@v2',
    // models/roboflow/keypoint_detection/v3.py (confidence_mode 'default' | 'custom', custom_confidence)
    'roboflow_core/roboflow_keypoint_detection_model@v3',
  ],
  // transformations/image_slicer/v2.py (border slices pushed inward)
  'vad/image_slicer@v1': ['roboflow_core/image_slicer@v2'],
  // transformations/image_slicer/v1.py (border slices clipped)
  'vad/image_slicer_clipped@v1': ['roboflow_core/image_slicer@v1'],
  // fusion/detections_stitch/v1.py
  'vad/detections_stitch@v1': ['roboflow_core/detections_stitch@v1'],
  // fusion/detections_consensus/v1.py
  'vad/detections_consensus@v1': ['roboflow_core/detections_consensus@v1', 'DetectionsConsensus'],
  // transformations/detection_offset/v1.py
  'vad/detection_offset@v1': ['roboflow_core/detection_offset@v1', 'DetectionOffset'],
  // transformations/dynamic_zones/v1.py
  'vad/dynamic_zone@v1': ['roboflow_core/dynamic_zone@v1', 'DynamicZone'],
  // transformations/perspective_correction/v1.py
  'vad/perspective_correction@v1': ['roboflow_core/perspective_correction@v1', 'PerspectiveCorrection'],
  // transformations/detections_merge/v1.py (TYPE only)
  'vad/detections_merge@v1': ['roboflow_core/detections_merge@v1'],
  // analytics/overlap/v1.py (its first revision also literal "Overlap")
  'vad/overlap@v1': ['roboflow_core/overlap@v1', 'Overlap'],
  // transformations/bounding_rect/v1.py (TYPE only)
  'vad/bounding_rect@v1': ['roboflow_core/bounding_rect@v1'],
  // transformations/stitch_ocr_detections/v1.py (TYPE only; v2 is another block)
  'vad/stitch_ocr_detections@v1': ['roboflow_core/stitch_ocr_detections@v1'],
  // models/foundation/ocr/v1.py (DocTR in Roboflow's engine; Tesseract in vad's)
  'vad/ocr_model@v1': ['roboflow_core/ocr_model@v1', 'OCRModel'],
  // models/foundation/easy_ocr/v1.py (EasyOCR in Roboflow's engine; Tesseract in vad's)
  'vad/easy_ocr@v1': ['roboflow_core/easy_ocr@v1', 'EasyOCR'],
  // transformations/absolute_static_crop/v1.py
  'vad/absolute_static_crop@v1': ['roboflow_core/absolute_static_crop@v1', 'AbsoluteStaticCrop'],
  // transformations/relative_static_crop/v1.py (their literal spells "statoic")
  'vad/relative_static_crop@v1': ['roboflow_core/relative_statoic_crop@v1', 'RelativeStaticCrop'],
  // formatters/property_definition/v1.py
  'vad/property_definition@v1': ['roboflow_core/property_definition@v1', 'PropertyDefinition', 'PropertyExtraction'],
  // math/cosine_similarity/v1.py
  'vad/cosine_similarity@v1': ['roboflow_core/cosine_similarity@v1'],
  // models/foundation/clip/v1.py and models/foundation/perception_encoder/v1.py (images only)
  'vad/image_embedding@v1': ['roboflow_core/clip@v1', 'roboflow_core/perception_encoder@v1'],
  // sampling/identify_outliers/v1.py
  'vad/identify_outliers@v1': ['roboflow_core/identify_outliers@v1'],
  // sampling/identify_changes/v1.py
  'vad/identify_changes@v1': ['roboflow_core/identify_changes@v1'],
  // visualizations/bounding_box/v1.py (TYPE and "BoundingBoxVisualization")
  'vad/bounding_box_visualization@v1': ['roboflow_core/bounding_box_visualization@v1', 'BoundingBoxVisualization'],
  // visualizations/label/v1.py (TYPE and "LabelVisualization"); label/v2.py (TYPE only; adds text_size_mode)
  'vad/label_visualization@v1': ['roboflow_core/label_visualization@v1', 'LabelVisualization', 'roboflow_core/label_visualization@v2'],
  // transformations/byte_tracker/v1.py (TYPE and "ByteTracker"), v2.py, v3.py (new_instances, already_seen_instances)
  'vad/byte_tracker@v1': ['roboflow_core/byte_tracker@v1', 'ByteTracker', 'roboflow_core/byte_tracker@v2', 'roboflow_core/byte_tracker@v3'],
  // trackers/bytetrack/v1.py, trackers/sort/v1.py, trackers/ocsort/v1.py (the trackers package)
  'vad/trackers_bytetrack@v1': ['roboflow_core/trackers_bytetrack@v1'],
  'vad/trackers_sort@v1': ['roboflow_core/trackers_sort@v1'],
  'vad/trackers_ocsort@v1': ['roboflow_core/trackers_ocsort@v1'],
  // analytics/detection_event_log/v1.py
  'vad/detection_event_log@v1': ['roboflow_core/detection_event_log@v1'],
  // visualizations/trace/v1.py
  'vad/trace_visualization@v1': ['roboflow_core/trace_visualization@v1'],
  // visualizations/heatmap/v1.py (TYPE and "HeatmapVisualization")
  'vad/heatmap_visualization@v1': ['roboflow_core/heatmap_visualization@v1', 'HeatmapVisualization'],
  // visualizations/dot/v1.py, circle/v1.py, corner/v1.py, color/v1.py (TYPE and the short name)
  'vad/dot_visualization@v1': ['roboflow_core/dot_visualization@v1', 'DotVisualization'],
  // visualizations/keypoint/v1.py
  'vad/keypoint_visualization@v1': ['roboflow_core/keypoint_visualization@v1', 'KeypointVisualization'],
  'vad/circle_visualization@v1': ['roboflow_core/circle_visualization@v1', 'CircleVisualization'],
  'vad/corner_visualization@v1': ['roboflow_core/corner_visualization@v1', 'CornerVisualization'],
  'vad/color_visualization@v1': ['roboflow_core/color_visualization@v1', 'ColorVisualization'],
  // visualizations/blur/v1.py, pixelate/v1.py (TYPE and the short name)
  'vad/blur_visualization@v1': ['roboflow_core/blur_visualization@v1', 'BlurVisualization'],
  'vad/pixelate_visualization@v1': ['roboflow_core/pixelate_visualization@v1', 'PixelateVisualization'],
  // visualizations/polygon/v1.py, mask/v1.py (TYPE and the short name)
  'vad/polygon_visualization@v1': ['roboflow_core/polygon_visualization@v1', 'PolygonVisualization'],
  'vad/mask_visualization@v1': ['roboflow_core/mask_visualization@v1', 'MaskVisualization'],
  // visualizations/classification_label/v1.py, reference_path/v1.py (TYPE only)
  'vad/classification_label_visualization@v1': ['roboflow_core/classification_label_visualization@v1'],
  'vad/reference_path_visualization@v1': ['roboflow_core/reference_path_visualization@v1'],
  // visualizations/text_display/v1.py (TYPE only)
  'vad/text_display@v1': ['roboflow_core/text_display@v1'],
  // classical_cv/image_preprocessing/v1.py (TYPE only)
  'vad/image_preprocessing@v1': ['roboflow_core/image_preprocessing@v1'],
  // vad's own blocks
  'vad/image_resize@v1': [],
  'vad/reference_comparison@v1': [],
  'vad/patchcore@v1': [],
  'vad/anomaly_regions@v1': [],
  'vad/anomaly_map_visualization@v1': [],
  // formatters/csv/v1.py
  'vad/csv_formatter@v1': ['roboflow_core/csv_formatter@v1'],
  // formatters/json_parser/v1.py
  'vad/json_parser@v1': ['roboflow_core/json_parser@v1'],
  // formatters/string_template/v1.py
  'vad/string_template@v1': ['roboflow_core/string_template@v1'],
  // analytics/data_aggregator/v1.py
  'vad/data_aggregator@v1': ['roboflow_core/data_aggregator@v1'],
  // sinks/local_file/v1.py
  'vad/local_file_sink@v1': ['roboflow_core/local_file_sink@v1'],
  // inference/enterprise/workflows/enterprise_blocks/sinks/opc_writer/v1.py (no short literal)
  'vad/opc_writer_sink@v1': ['roboflow_enterprise/opc_writer_sink@v1'],
  // flow_control/delta_filter/v1.py
  'vad/delta_filter@v1': ['roboflow_core/delta_filter@v1'],
  // flow_control/rate_limiter/v1.py
  'vad/rate_limiter@v1': ['roboflow_core/rate_limiter@v1'],
  // secrets_providers/environment_secrets_store/v1.py
  'vad/environment_secrets_store@v1': ['roboflow_core/environment_secrets_store@v1'],
  // classical_cv/<name>/v1.py (no short literals in these manifests)
  'vad/convert_grayscale@v1': ['roboflow_core/convert_grayscale@v1'],
  'vad/image_blur@v1': ['roboflow_core/image_blur@v1'],
  'vad/threshold@v1': ['roboflow_core/threshold@v1'],
  'vad/contours_detection@v1': ['roboflow_core/contours_detection@v1'],
  'vad/camera_focus@v1': ['roboflow_core/camera_focus@v1'],
  'vad/dominant_color@v1': ['roboflow_core/dominant_color@v1'],
  'vad/pixel_color_count@v1': ['roboflow_core/pixel_color_count@v1'],
  'vad/background_subtraction@v1': ['roboflow_core/background_subtraction@v1'],
  'vad/motion_detection@v1': ['roboflow_core/motion_detection@v1'],
  'vad/contrast_enhancement@v1': ['roboflow_core/contrast_enhancement@v1'],
  'vad/bilateral_filter@v1': ['roboflow_core/bilateral_filter@v1'],
  'vad/morphological_transformation@v1': ['roboflow_core/morphological_transformation@v1'],
  'vad/morphological_transformation@v2': ['roboflow_core/morphological_transformation@v2'],
  'vad/camera_focus@v2': ['roboflow_core/camera_focus@v2'],
  'vad/template_matching@v1': ['roboflow_core/template_matching@v1'],
  'vad/auto_rotate_on_edges@v1': ['roboflow_core/auto_rotate_on_edges@v1'],
  // transformations/camera_calibration/v1.py (a hyphen in Roboflow's name)
  'vad/camera_calibration@v1': ['roboflow_core/camera-calibration@v1'],
};

/**
 * Property aliases from the manifests' `validation_alias=AliasChoices(...)`: Roboflow's
 * `ImageInputField` (models, crops) reads `images` or `image`; visualizations and the slicer read
 * `image` or `images`; detection_offset v1 (older revisions) read `offset_x` / `offset_y`.
 */
export const expectedPropertyAliases: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'vad/object_detection_model@v1': { images: ['image'] },
  'vad/classification_model@v1': { images: ['image'] },
  'vad/multi_label_classification_model@v1': { images: ['image'] },
  'vad/keypoint_detection_model@v1': { images: ['image'] },
  'vad/absolute_static_crop@v1': { images: ['image'] },
  'vad/relative_static_crop@v1': { images: ['image'] },
  'vad/image_preprocessing@v1': { image: ['images'] },
  'vad/image_slicer@v1': { image: ['images'] },
  'vad/image_slicer_clipped@v1': { image: ['images'] },
  'vad/detection_offset@v1': { offset_width: ['offset_x'], offset_height: ['offset_y'] },
  'vad/detections_consensus@v1': { predictions_batches: ['predictions'] },
  'vad/bounding_box_visualization@v1': { image: ['images'] },
  'vad/label_visualization@v1': { image: ['images'] },
  'vad/heatmap_visualization@v1': { image: ['images'] },
  'vad/byte_tracker@v1': { detections: ['predictions'] },
  'vad/trace_visualization@v1': { image: ['images'] },
  'vad/dot_visualization@v1': { image: ['images'] },
  'vad/keypoint_visualization@v1': { image: ['images'] },
  'vad/circle_visualization@v1': { image: ['images'] },
  'vad/corner_visualization@v1': { image: ['images'] },
  'vad/color_visualization@v1': { image: ['images'] },
  'vad/blur_visualization@v1': { image: ['images'] },
  'vad/pixelate_visualization@v1': { image: ['images'] },
  'vad/polygon_visualization@v1': { image: ['images'] },
  'vad/mask_visualization@v1': { image: ['images'] },
  'vad/classification_label_visualization@v1': { image: ['images'] },
  'vad/reference_path_visualization@v1': { image: ['images'] },
  'vad/convert_grayscale@v1': { image: ['images'] },
  'vad/image_blur@v1': { image: ['images'] },
  'vad/threshold@v1': { image: ['images'] },
  'vad/contours_detection@v1': { image: ['images'] },
  'vad/camera_focus@v1': { image: ['images'] },
  'vad/dominant_color@v1': { image: ['images'] },
  'vad/pixel_color_count@v1': { image: ['images'] },
  'vad/background_subtraction@v1': { image: ['images'] },
  'vad/motion_detection@v1': { image: ['images'] },
  'vad/template_matching@v1': { image: ['images'], template: ['templates'] },
  'vad/auto_rotate_on_edges@v1': { image: ['images'] },
  'vad/camera_calibration@v1': { image: ['images'] },
  'vad/instance_segmentation_model@v2': { images: ['image'] },
  'vad/mask_edge_snap@v1': { image: ['images'] },
  'vad/ocr_model@v1': { images: ['image'] },
  'vad/easy_ocr@v1': { images: ['image'] },
};
