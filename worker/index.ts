export default {
  async fetch(): Promise<Response> {
    return new Response("txgate", { status: 200 });
  },
};
