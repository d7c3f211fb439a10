public enum LoupeLedgerModule {}
