import express from "express";
import { requireAuth, requireRole } from "../middleware/auth.js";
import { Order } from "../models/order.js";

const router = express.Router();

// ok: AP101 (reads are not state changes)
router.get("/orders", async (req, res) => {
  res.json(await Order.find({ customerId: req.query.customerId }));
});

// ok: AP101
router.post("/orders", requireAuth, async (req, res) => {
  const order = await Order.create({ ...req.body, customerId: req.user!.id });
  res.status(201).json(order);
});

// ruleid: AP101 (the auth middleware was forgotten on the update)
router.put("/orders/:id", async (req, res) => {
  const order = await Order.findByIdAndUpdate(req.params.id, req.body, { new: true });
  res.json(order);
});

// ok: AP101
router.delete("/orders/:id", requireAuth, requireRole("admin"), async (req, res) => {
  await Order.findByIdAndDelete(req.params.id);
  res.sendStatus(204);
});

// ruleid: AP101 (a GET that cancels: state changes through the data layer)
router.get("/orders/:id/cancel", async (req, res) => {
  await Order.updateOne({ _id: req.params.id }, { status: "cancelled" });
  res.redirect("/orders");
});

export default router;
