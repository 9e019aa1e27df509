/**
 * Roboflow blocks that call a hosted service (LLM/VLM APIs, Roboflow's platform, e-mail, SMS,
 * webhooks) or a Roboflow-served foundation model. vad does not run them; naming one is an error
 * that says so, instead of "unknown block type". Every version of a family is matched
 * (`roboflow_core/<family>@v<N>`), and the short literals of their manifests' `type` field.
 */
const families: Readonly<Record<string, string>> = {
  anthropic_claude: 'Anthropic Claude, a hosted LLM/VLM',
  google_gemini: 'Google Gemini, a hosted LLM/VLM',
  open_ai: 'OpenAI GPT, a hosted LLM/VLM',
  llama_3_2_vision: 'Llama 3.2 Vision through OpenRouter, a hosted VLM',
  llama_vision: 'Llama Vision through OpenRouter, a hosted VLM',
  openrouter: 'a model through OpenRouter, a hosted LLM/VLM API',
  kimi_openrouter: 'Kimi through OpenRouter, a hosted VLM',
  openai_compatible: 'an OpenAI-compatible chat API, a hosted LLM/VLM endpoint',
  lmm: 'a hosted large multimodal model (GPT-4V, CogVLM)',
  lmm_for_classification: 'a hosted large multimodal model used as a classifier',
  cog_vlm: 'CogVLM, a Roboflow-served VLM',
  florence_2: 'Florence-2, a Roboflow-served foundation model',
  google_vision_ocr: 'Google Cloud Vision OCR, a hosted API',
  stability_ai_image_gen: 'Stability AI image generation, a hosted API',
  stability_ai_inpainting: 'Stability AI inpainting, a hosted API',
  stability_ai_outpainting: 'Stability AI outpainting, a hosted API',
  stability_ai_api_inpaint: 'Stability AI inpainting, a hosted API',
  email_notification: 'an e-mail notification sink',
  slack_notification: 'a Slack notification sink',
  twilio_sms_notification: 'a Twilio SMS notification sink',
  webhook_sink: 'a webhook sink',
  roboflow_dataset_upload: "an upload to a Roboflow dataset (Roboflow's platform)",
  roboflow_custom_metadata: "custom metadata on Roboflow's platform",
  model_monitoring_inference_aggregator: "Roboflow's model monitoring",
  asset_library_attributes: "attributes in Roboflow's asset library",
  roboflow_vision_events: "Roboflow's vision events",
};

const shortLiterals: Readonly<Record<string, string>> = {
  OpenAI: 'open_ai',
  LMM: 'lmm',
  LMMForClassification: 'lmm_for_classification',
  CogVLM: 'cog_vlm',
  RoboflowDatasetUpload: 'roboflow_dataset_upload',
  RoboflowCustomMetadata: 'roboflow_custom_metadata',
};

/** The Roboflow block families vad knows as cloud blocks, with what each is. */
export const cloudBlockFamilies: Readonly<Record<string, string>> = families;

/** What a cloud block is (e.g. "Google Gemini, a hosted LLM/VLM"), or undefined for any other type name. */
export function describeCloudBlock(type: string): string | undefined {
  const family = /^roboflow_core\/([a-z0-9_]+)@v\d+$/.exec(type)?.[1] ?? shortLiterals[type];
  return family === undefined ? undefined : families[family];
}
