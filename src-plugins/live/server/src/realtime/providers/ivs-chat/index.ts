/** Amazon IVS Chat as the chat's provider (CHAT_PROVIDER=ivs-chat). */
export { ivsChatProvider, type IvsChatProviderOptions } from './provider';
export * from './messaging';
