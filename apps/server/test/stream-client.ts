import { WebSocket } from 'ws';

/** A client for the stream endpoint that collects the answers in order. */
export async function openStream(base: string, start: Record<string, unknown>) {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/vad/stream`);
  const messages: any[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    waiters.splice(0).forEach((wake) => wake());
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'start', ...start }));
  const next = async (): Promise<any> => {
    while (messages.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return messages.shift();
  };
  return { socket, next, close: () => new Promise((resolve) => { socket.once('close', resolve); socket.close(); }) };
}
