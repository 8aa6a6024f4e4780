CREATE TABLE `客户` (`姓名` varchar(20) COMMENT '姓名乗俓', `备注` text);
INSERT INTO `客户` VALUES ('乗俓张三','路径 C:\\乗俓 \'引号\' 刓'),('李四匼',NULL);
