# One image for the server and the worker (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
ENV ONNXRUNTIME_NODE_INSTALL=skip CI=true
RUN npm install -g pnpm@10.34.9
WORKDIR /vad
COPY . .
RUN pnpm install --frozen-lockfile && pnpm turbo run build --filter=@vad/server... --filter=@vad/worker...
ENV VAD_MODELS_DIR=/data/models VAD_STORE_DIR=/data/store VAD_CACHE_DIR=/data/cache
EXPOSE 9001
CMD ["node", "apps/server/dist/main.js"]
